package identity

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// A key pair written by `openssl genpkey -algorithm ed25519` and
// `openssl pkey -pubout`, for tests only.
const (
	opensslPrivatePEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJNTcNe068cAWYH8E2EIcxTU7DafhGTxhEvUKiKyzZ/2
-----END PRIVATE KEY-----
`
	opensslPublicPEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA6+ZxHEOb9Nkf5ci1nLXOnFfWin1peiNgCcQwXpsD10w=
-----END PUBLIC KEY-----
`
)

func TestParseOpenSSLKeys(t *testing.T) {
	priv, err := ParseEdDSAPrivateKeyPEM([]byte(opensslPrivatePEM))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParseEdDSAPublicKeyPEM([]byte(opensslPublicPEM))
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(priv.Public()) {
		t.Error("public key does not match the private key")
	}
}

// TestEdDSARoundTripThroughPEMFiles generates a key, writes both halves as
// PEM files, loads them back, and mints and verifies with them.
func TestEdDSARoundTripThroughPEMFiles(t *testing.T) {
	pub, priv := newTestEdKey(t)
	dir := t.TempDir()
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	privPath, pubPath := filepath.Join(dir, "ed25519.pem"), filepath.Join(dir, "ed25519.pub.pem")
	writePEM(t, privPath, "PRIVATE KEY", privDER)
	writePEM(t, pubPath, "PUBLIC KEY", pubDER)

	privPEM, err := os.ReadFile(privPath)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := os.ReadFile(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	loadedPriv, err := ParseEdDSAPrivateKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	loadedPub, err := ParseEdDSAPublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewEdDSAMinter(loadedPriv)
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{loadedPub}})
	want := testClaims()
	got, err := v.Verify(mint(t, m, want))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("claims = %+v, want %+v", got, want)
	}
}

func TestParsePEMRefuses(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPriv, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecPub, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }

	for name, data := range map[string][]byte{
		"not PEM":           []byte("hello"),
		"private key":       []byte(opensslPrivatePEM),
		"P-256 key":         pemOf("PUBLIC KEY", ecPub),
		"garbage in block":  pemOf("PUBLIC KEY", []byte("nope")),
		"certificate label": pemOf("CERTIFICATE", []byte("nope")),
	} {
		if _, err := ParseEdDSAPublicKeyPEM(data); err == nil {
			t.Errorf("ParseEdDSAPublicKeyPEM(%s) succeeded", name)
		}
	}
	for name, data := range map[string][]byte{
		"not PEM":          []byte("hello"),
		"public key":       []byte(opensslPublicPEM),
		"P-256 key":        pemOf("PRIVATE KEY", ecPriv),
		"garbage in block": pemOf("PRIVATE KEY", []byte("nope")),
	} {
		if _, err := ParseEdDSAPrivateKeyPEM(data); err == nil {
			t.Errorf("ParseEdDSAPrivateKeyPEM(%s) succeeded", name)
		}
	}
}

func TestDevSecretCreatedPrivateAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := LoadOrCreateDevSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := hex.DecodeString(string(first)); err != nil || len(raw) != 32 {
		t.Errorf("secret %d bytes, want 32 bytes hex-encoded (err %v)", len(first), err)
	}
	fi, err := os.Stat(filepath.Join(dir, DevSecretFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret file mode %v, want 0600", perm)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("data dir mode %v, want 0700", perm)
	}
	second, err := LoadOrCreateDevSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(second) {
		t.Error("second call made a new secret")
	}
	if _, err := NewHS256Minter(first); err != nil {
		t.Errorf("dev secret unusable: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only %s", len(entries), DevSecretFile)
	}
}

func TestDevSecretConcurrentFirstUse(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	secrets := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { secrets[i], errs[i] = LoadOrCreateDevSecret(dir) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if string(secrets[i]) != string(secrets[0]) {
			t.Fatalf("call %d got another secret", i)
		}
	}
}

func TestDevSecretCorrupt(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, DevSecretFile), []byte("not hex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateDevSecret(dir); err == nil {
		t.Error("corrupt secret file accepted")
	}
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
