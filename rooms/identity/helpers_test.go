package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testNow is the fixed clock of every verifier in these tests.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var testSecret = []byte(strings.Repeat("s3cret-", 6)) // 42 bytes

func newTestEdKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func newTestVerifier(t testing.TB, cfg VerifierConfig) *Verifier {
	t.Helper()
	cfg.Now = func() time.Time { return testNow }
	v, err := NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testClaims are valid claims for a student of session algebra-1.
func testClaims() Claims {
	return Claims{
		UserID: "u-ada", Name: "Ada", Role: RoleStudent,
		Institution: "uni", Course: "math-101", Session: "algebra-1",
		IssuedAt: testNow.Add(-time.Minute), ExpiresAt: testNow.Add(time.Hour), ID: "t-1",
	}
}

// rawClaims are testClaims as a JSON claims set, to be edited by tests that
// forge what a Minter would refuse to write.
func rawClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "u-ada", "name": "Ada", "role": "student", "aud": "homeroom",
		"inst": "uni", "course": "math-101", "sid": "algebra-1",
		"iat": testNow.Add(-time.Minute).Unix(), "exp": testNow.Add(time.Hour).Unix(),
	}
}

// sign signs claims with any method and key the jwt package knows, adding
// extra header fields: a forger's tool.
func sign(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mint(t testing.TB, m *Minter, c Claims) string {
	t.Helper()
	tok, err := m.Mint(c, 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
