package identity

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMintTTL(t *testing.T) {
	m, err := NewHS256Minter(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, VerifierConfig{HS256Secret: testSecret})
	c := testClaims()
	c.IssuedAt, c.ExpiresAt = testNow.Add(-time.Second), time.Time{}
	tok, err := m.Mint(c, 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.IssuedAt.Add(8 * time.Hour); !got.ExpiresAt.Equal(want) {
		t.Errorf("exp = %v, want %v", got.ExpiresAt, want)
	}
}

func TestMintDefaultsIssuedAtToNow(t *testing.T) {
	m, err := NewHS256Minter(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(VerifierConfig{HS256Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	c := testClaims()
	c.IssuedAt, c.ExpiresAt = time.Time{}, time.Time{}
	before := time.Now().Truncate(time.Second)
	tok, err := m.Mint(c, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.IssuedAt.Before(before) || got.IssuedAt.After(time.Now()) {
		t.Errorf("iat = %v, want about now", got.IssuedAt)
	}
	if got.ExpiresAt.Sub(got.IssuedAt) != time.Minute {
		t.Errorf("exp - iat = %v, want 1m", got.ExpiresAt.Sub(got.IssuedAt))
	}
}

func TestMintRefuses(t *testing.T) {
	m, err := NewHS256Minter(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*Claims)) Claims {
		c := testClaims()
		f(&c)
		return c
	}
	tests := []struct {
		name string
		c    Claims
		ttl  time.Duration
	}{
		{"no exp", edit(func(c *Claims) { c.ExpiresAt = time.Time{} }), 0},
		{"negative ttl", testClaims(), -time.Second},
		{"no user", edit(func(c *Claims) { c.UserID = "" }), time.Hour},
		{"no name", edit(func(c *Claims) { c.Name = "" }), time.Hour},
		{"long name", edit(func(c *Claims) { c.Name = strings.Repeat("n", 65) }), time.Hour},
		{"bad role", edit(func(c *Claims) { c.Role = "root" }), time.Hour},
		{"no scope", edit(func(c *Claims) { c.Session, c.Course = "", "" }), time.Hour},
	}
	for _, tt := range tests {
		if tok, err := m.Mint(tt.c, tt.ttl); err == nil {
			t.Errorf("%s: minted %d bytes", tt.name, len(tok))
		} else if tt.ttl >= 0 && !errors.Is(err, ErrClaims) {
			t.Errorf("%s: %v, want ErrClaims", tt.name, err)
		}
	}
}

func TestNewMinterRefusesBadKeys(t *testing.T) {
	if _, err := NewHS256Minter([]byte("short")); err == nil {
		t.Error("NewHS256Minter accepted a 5-byte secret")
	}
	if _, err := NewEdDSAMinter(ed25519.PrivateKey(make([]byte, 10))); err == nil {
		t.Error("NewEdDSAMinter accepted a 10-byte key")
	}
}
