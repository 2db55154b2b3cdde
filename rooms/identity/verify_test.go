package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerifyAcceptsValidTokens(t *testing.T) {
	pub, priv := newTestEdKey(t)
	hs, err := NewHS256Minter(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := NewEdDSAMinter(priv)
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, VerifierConfig{HS256Secret: testSecret, EdDSAPublicKeys: []ed25519.PublicKey{pub}})
	for name, m := range map[string]*Minter{"HS256": hs, "EdDSA": ed} {
		t.Run(name, func(t *testing.T) {
			want := testClaims()
			got, err := v.Verify(mint(t, m, want))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("claims = %+v, want %+v", got, want)
			}
		})
	}
}

func TestVerifyTriesEveryEdDSAKey(t *testing.T) {
	oldPub, _ := newTestEdKey(t)
	newPub, newPriv := newTestEdKey(t)
	v := newTestVerifier(t, VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{oldPub, newPub}})
	m, err := NewEdDSAMinter(newPriv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(mint(t, m, testClaims())); err != nil {
		t.Fatalf("token of the second key: %v", err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	pub, priv := newTestEdKey(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	hsOnly := newTestVerifier(t, VerifierConfig{HS256Secret: testSecret})
	edOnly := newTestVerifier(t, VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{pub}})
	both := newTestVerifier(t, VerifierConfig{HS256Secret: testSecret, EdDSAPublicKeys: []ed25519.PublicKey{pub}})

	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := rawClaims()
		edit(c)
		return c
	}
	valid := sign(t, jwt.SigningMethodHS256, testSecret, rawClaims(), nil)
	parts := strings.Split(valid, ".")
	b64 := base64.RawURLEncoding.EncodeToString

	tests := []struct {
		name  string
		v     *Verifier
		token string
		want  error
	}{
		// Signatures.
		{"other secret", hsOnly, sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 32)), rawClaims(), nil), ErrBadSignature},
		{"payload swapped", hsOnly, parts[0] + "." + b64([]byte(`{"sub":"u-ada","name":"Ada","role":"teacher","aud":"homeroom","sid":"algebra-1","exp":1900000000}`)) + "." + parts[2], ErrBadSignature},
		{"signature stripped", hsOnly, parts[0] + "." + parts[1] + ".", ErrBadSignature},
		{"other Ed25519 key", edOnly, sign(t, jwt.SigningMethodEdDSA, ed25519.NewKeyFromSeed(make([]byte, 32)), rawClaims(), nil), ErrBadSignature},
		{"alg none", both, sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, rawClaims(), nil), ErrBadSignature},
		{"alg none, signature kept", hsOnly, b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"alg unknown", hsOnly, b64([]byte(`{"alg":"XX512"}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"alg missing", hsOnly, b64([]byte(`{"typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], ErrBadSignature},
		{"RS256", both, sign(t, jwt.SigningMethodRS256, rsaKey, rawClaims(), nil), ErrBadSignature},
		{"HS512 with the secret", hsOnly, sign(t, jwt.SigningMethodHS512, testSecret, rawClaims(), nil), ErrBadSignature},
		{"HS384 with the secret", hsOnly, sign(t, jwt.SigningMethodHS384, testSecret, rawClaims(), nil), ErrBadSignature},
		// Algorithm confusion: the public key used as an HMAC secret.
		{"HS256 keyed with the public key, EdDSA-only", edOnly, sign(t, jwt.SigningMethodHS256, []byte(pub), rawClaims(), nil), ErrBadSignature},
		{"HS256 keyed with the public key, both", both, sign(t, jwt.SigningMethodHS256, []byte(pub), rawClaims(), nil), ErrBadSignature},
		{"EdDSA token, HS256-only", hsOnly, sign(t, jwt.SigningMethodEdDSA, priv, rawClaims(), nil), ErrBadSignature},
		// Times (leeway 30s).
		{"expired", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Minute).Unix() }), nil), ErrExpired},
		{"expired and wrong aud", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Minute).Unix(); c["aud"] = "x" }), nil), ErrExpired},
		{"nbf in the future", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["nbf"] = testNow.Add(time.Minute).Unix() }), nil), ErrNotYetValid},
		{"iat in the future", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["iat"] = testNow.Add(time.Minute).Unix() }), nil), ErrNotYetValid},
		// Claims.
		{"wrong aud", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["aud"] = "other-app" }), nil), ErrClaims},
		{"aud list without homeroom", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["aud"] = []string{"a", "b"} }), nil), ErrClaims},
		{"no aud", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "aud") }), nil), ErrClaims},
		{"no exp", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "exp") }), nil), ErrClaims},
		{"no sub", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "sub") }), nil), ErrClaims},
		{"no name", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "name") }), nil), ErrClaims},
		{"name of 65 characters", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["name"] = strings.Repeat("é", 65) }), nil), ErrClaims},
		{"no role", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "role") }), nil), ErrClaims},
		{"unknown role", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["role"] = "admin" }), nil), ErrClaims},
		{"role in capitals", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["role"] = "Teacher" }), nil), ErrClaims},
		{"no sid or course", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { delete(c, "sid"); delete(c, "course") }), nil), ErrClaims},
		// Malformed.
		{"empty", hsOnly, "", ErrMalformed},
		{"one segment", hsOnly, "abc", ErrMalformed},
		{"two segments", hsOnly, parts[0] + "." + parts[1], ErrMalformed},
		{"four segments", hsOnly, valid + ".x", ErrMalformed},
		{"newline inside", hsOnly, valid[:20] + "\n" + valid[20:], ErrMalformed},
		{"padding", hsOnly, valid + "=", ErrMalformed},
		{"space", hsOnly, " " + valid, ErrMalformed},
		{"too long", hsOnly, strings.Repeat("a", MaxTokenLen+1), ErrMalformed},
		{"header not JSON", hsOnly, b64([]byte("hello")) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"exp a string", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["exp"] = "tomorrow" }), nil), ErrMalformed},
		{"name a number", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, with(func(c jwt.MapClaims) { c["name"] = 7 }), nil), ErrMalformed},
		{"crit header", hsOnly, sign(t, jwt.SigningMethodHS256, testSecret, rawClaims(), map[string]any{"crit": []string{"exp"}}), ErrMalformed},
	}
	sentinels := []error{ErrMalformed, ErrBadSignature, ErrExpired, ErrNotYetValid, ErrClaims}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.v.Verify(tt.token)
			t.Log(err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
			for _, s := range sentinels {
				if s != tt.want && errors.Is(err, s) {
					t.Errorf("error %v also wraps %v", err, s)
				}
			}
			if c != (Claims{}) {
				t.Errorf("claims %+v returned with an error", c)
			}
			if len(tt.token) > 8 && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error quotes the token: %v", err)
			}
			for _, p := range strings.Split(tt.token, ".") {
				if len(p) > 16 && strings.Contains(err.Error(), p) {
					t.Errorf("error quotes a token segment: %v", err)
				}
			}
		})
	}
}

func TestVerifyLeeway(t *testing.T) {
	v := newTestVerifier(t, VerifierConfig{HS256Secret: testSecret, Leeway: 10 * time.Second})
	at := func(exp, iat time.Duration) string {
		c := rawClaims()
		c["exp"], c["iat"] = testNow.Add(exp).Unix(), testNow.Add(iat).Unix()
		return sign(t, jwt.SigningMethodHS256, testSecret, c, nil)
	}
	if _, err := v.Verify(at(-5*time.Second, -time.Hour)); err != nil {
		t.Errorf("expired 5s ago, leeway 10s: %v", err)
	}
	if _, err := v.Verify(at(-15*time.Second, -time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("expired 15s ago, leeway 10s: %v, want ErrExpired", err)
	}
	if _, err := v.Verify(at(time.Hour, 5*time.Second)); err != nil {
		t.Errorf("issued 5s ahead, leeway 10s: %v", err)
	}
}

func TestVerifierConfigValidate(t *testing.T) {
	pub, _ := newTestEdKey(t)
	tests := []struct {
		name string
		cfg  VerifierConfig
		ok   bool
	}{
		{"no key", VerifierConfig{}, false},
		{"secret", VerifierConfig{HS256Secret: testSecret}, true},
		{"short secret", VerifierConfig{HS256Secret: []byte("short")}, false},
		{"public key", VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{pub}}, true},
		{"truncated public key", VerifierConfig{EdDSAPublicKeys: []ed25519.PublicKey{pub[:31]}}, false},
		{"negative leeway", VerifierConfig{HS256Secret: testSecret, Leeway: -time.Second}, false},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if _, nerr := NewVerifier(tt.cfg); (nerr == nil) != tt.ok {
			t.Errorf("%s: NewVerifier: %v, want ok=%v", tt.name, nerr, tt.ok)
		}
	}
}

func TestVerifierCopiesKeys(t *testing.T) {
	secret := append([]byte(nil), testSecret...)
	v := newTestVerifier(t, VerifierConfig{HS256Secret: secret})
	tok := sign(t, jwt.SigningMethodHS256, testSecret, rawClaims(), nil)
	secret[0] ^= 0xff
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("changing the caller's slice changed the verifier: %v", err)
	}
}
