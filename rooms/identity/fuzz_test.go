package identity

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzVerify feeds Verify random input and mutations of genuine tokens: it
// must not panic, must refuse with exactly one sentinel and no claims, must
// never quote the input, and only the genuine tokens may verify.
func FuzzVerify(f *testing.F) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	v := newTestVerifier(f, VerifierConfig{HS256Secret: testSecret, EdDSAPublicKeys: []ed25519.PublicKey{pub}})
	hs, err := NewHS256Minter(testSecret)
	if err != nil {
		f.Fatal(err)
	}
	ed, err := NewEdDSAMinter(priv)
	if err != nil {
		f.Fatal(err)
	}
	want := testClaims()
	genuine := map[string]bool{mint(f, hs, want): true, mint(f, ed, want): true}

	for tok := range genuine {
		f.Add(tok)
		f.Add(tok[:len(tok)-1])
		f.Add(tok + "A")
		f.Add(strings.Replace(tok, ".", "..", 1))
	}
	f.Add(sign(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, rawClaims(), nil))
	f.Add(sign(f, jwt.SigningMethodHS256, []byte(pub), rawClaims(), nil))
	f.Add(sign(f, jwt.SigningMethodHS512, testSecret, rawClaims(), nil))
	expired := rawClaims()
	expired["exp"] = testNow.Add(-time.Hour).Unix()
	f.Add(sign(f, jwt.SigningMethodHS256, testSecret, expired, nil))
	f.Add("")
	f.Add("..")
	f.Add("e30.e30.")

	sentinels := []error{ErrMalformed, ErrBadSignature, ErrExpired, ErrNotYetValid, ErrClaims}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(token)
		if err == nil {
			if !genuine[token] {
				t.Fatalf("forged token verified: %q", token)
			}
			if c != want {
				t.Fatalf("claims = %+v, want %+v", c, want)
			}
			return
		}
		if genuine[token] {
			t.Fatalf("genuine token refused: %v", err)
		}
		if c != (Claims{}) {
			t.Fatalf("claims %+v returned with error %v", c, err)
		}
		n := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("error %v wraps %d sentinels, want 1", err, n)
		}
		if len(token) >= 32 && strings.Contains(err.Error(), token) {
			t.Fatalf("error quotes the token: %v", err)
		}
	})
}

// FuzzTokenFromSubprotocols checks the header parser never panics, returns
// only the rest of one whole entry, and finds any token offered beside
// homeroom.v1.
func FuzzTokenFromSubprotocols(f *testing.F) {
	f.Add("homeroom.v1, homeroom.token.a.b.c", "a.b.c")
	f.Add("homeroom.token.x\nhomeroom.v1", "eyJ.eyJ.sig")
	f.Add(",,, \t homeroom.token.,", "")
	f.Add("homeroom.token.a, homeroom.token.b", "x")
	f.Fuzz(func(t *testing.T, header, token string) {
		got, ok := TokenFromSubprotocols(strings.Split(header, "\n"))
		if ok {
			if got == "" || strings.ContainsAny(got, ",\n") || strings.TrimRight(got, " \t") != got {
				t.Fatalf("TokenFromSubprotocols(%q) = %q", header, got)
			}
			if !strings.Contains(header, SubprotocolFor(got)) {
				t.Fatalf("TokenFromSubprotocols(%q) = %q, not in the header", header, got)
			}
		} else if got != "" {
			t.Fatalf("TokenFromSubprotocols(%q) = %q, false", header, got)
		}

		if token == "" || strings.Contains(token, ",") || strings.Trim(token, " \t") != token {
			return
		}
		got, ok = TokenFromSubprotocols([]string{"homeroom.v1, " + SubprotocolFor(token)})
		if !ok || got != token {
			t.Fatalf("offered %q, found %q, %v", token, got, ok)
		}
	})
}
