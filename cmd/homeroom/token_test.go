package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// runTokenCmd runs `homeroom token args...` with the key environment
// cleared, and returns the exit code, stdout and stderr.
func runTokenCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("HOMEROOM_TOKEN_SECRET", "")
	t.Setenv("HOMEROOM_TOKEN_PRIVATE_KEY", "")
	t.Setenv("HOMEROOM_DATA_DIR", filepath.Join(t.TempDir(), "data"))
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"token"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func verifyToken(t *testing.T, cfg identity.VerifierConfig, out string) identity.Claims {
	t.Helper()
	v, err := identity.NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("stdout %q: want one line", out)
	}
	c, err := v.Verify(strings.TrimSuffix(out, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTokenWithSecret(t *testing.T) {
	secret := strings.Repeat("0123456789abcdef", 2)
	code, out, errOut := runTokenCmd(t, "--session", "algebra-1", "--user", "u-ada", "--role", "teacher",
		"--course", "math-101", "--institution", "uni", "--token-secret", secret)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	c := verifyToken(t, identity.VerifierConfig{HS256Secret: []byte(secret)}, out)
	want := identity.Claims{UserID: "u-ada", Name: "u-ada", Role: "teacher", Institution: "uni", Course: "math-101", Session: "algebra-1"}
	if c.UserID != want.UserID || c.Name != want.Name || c.Role != want.Role || c.Institution != want.Institution ||
		c.Course != want.Course || c.Session != want.Session {
		t.Errorf("claims = %+v, want %+v", c, want)
	}
	if got := c.ExpiresAt.Sub(c.IssuedAt); got != 8*time.Hour {
		t.Errorf("lifetime %v, want the default 8h", got)
	}
	if err := identity.CheckScope(c, "uni", "math-101", "algebra-1"); err != nil {
		t.Error(err)
	}
}

func TestTokenSecretFromEnvironment(t *testing.T) {
	secret := strings.Repeat("e", 40)
	var stdout, stderr bytes.Buffer
	t.Setenv("HOMEROOM_TOKEN_SECRET", secret)
	t.Setenv("HOMEROOM_TOKEN_PRIVATE_KEY", "")
	code := run(context.Background(), []string{"token", "--session", "s", "--user", "u", "--role", "student",
		"--name", "Ada L.", "--ttl", "5m"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	c := verifyToken(t, identity.VerifierConfig{HS256Secret: []byte(secret)}, stdout.String())
	if c.Name != "Ada L." || c.ExpiresAt.Sub(c.IssuedAt) != 5*time.Minute {
		t.Errorf("claims = %+v", c)
	}
}

func TestTokenDevSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	args := []string{"--session", "s", "--user", "u", "--role", "observer", "--data-dir", dir}
	code, out, errOut := runTokenCmd(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "created development token secret") {
		t.Errorf("stderr %q does not say the secret was created", errOut)
	}
	secret, err := identity.LoadOrCreateDevSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	verifyToken(t, identity.VerifierConfig{HS256Secret: secret}, out)

	code, out, errOut = runTokenCmd(t, args...)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("second run wrote %q to stderr", errOut)
	}
	verifyToken(t, identity.VerifierConfig{HS256Secret: secret}, out)
}

func TestTokenEdDSA(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ed25519.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runTokenCmd(t, "--course", "math-101", "--user", "u", "--role", "moderator", "--token-private-key", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	c := verifyToken(t, identity.VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{pub}}, out)
	if c.Course != "math-101" || c.Session != "" {
		t.Errorf("claims = %+v, want a course token", c)
	}
}

func TestTokenUsageErrors(t *testing.T) {
	secret := strings.Repeat("k", 32)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no user", []string{"--session", "s", "--role", "student"}, 2},
		{"no session or course", []string{"--user", "u", "--role", "student"}, 2},
		{"no role", []string{"--session", "s", "--user", "u"}, 2},
		{"unknown role", []string{"--session", "s", "--user", "u", "--role", "admin"}, 2},
		{"zero ttl", []string{"--session", "s", "--user", "u", "--role", "student", "--ttl", "0s"}, 2},
		{"secret and key", []string{"--session", "s", "--user", "u", "--role", "student", "--token-secret", secret, "--token-private-key", "k.pem"}, 2},
		{"short secret", []string{"--session", "s", "--user", "u", "--role", "student", "--token-secret", "short"}, 1},
		{"missing key file", []string{"--session", "s", "--user", "u", "--role", "student", "--token-private-key", "/nonexistent/k.pem"}, 1},
		{"name too long", []string{"--session", "s", "--user", "u", "--role", "student", "--name", strings.Repeat("n", 65), "--token-secret", secret}, 1},
	}
	for _, tt := range tests {
		code, out, errOut := runTokenCmd(t, tt.args...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.code, errOut)
		}
		if out != "" {
			t.Errorf("%s: printed %q", tt.name, out)
		}
	}
}

func TestTokenHelp(t *testing.T) {
	code, _, errOut := runTokenCmd(t, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--session", "-ttl", "HOMEROOM_TOKEN_SECRET", "HOMEROOM_TOKEN_PRIVATE_KEY", "HOMEROOM_DATA_DIR", "default 8h0m0s", "./data"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("help lacks %q:\n%s", want, errOut)
		}
	}
}
