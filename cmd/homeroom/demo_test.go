package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
)

func TestSeedDemoPrintsWorkingTokens(t *testing.T) {
	ctx := context.Background()
	secret := []byte("demo-test-secret-0123456789abcdef0123")
	cat := catalog.NewMemory()
	var out bytes.Buffer
	for range 2 { // a restart reuses what exists
		out.Reset()
		if err := seedDemo(ctx, cat, secret, "127.0.0.1:8080", &out); err != nil {
			t.Fatal(err)
		}
	}
	v, err := identity.NewVerifier(identity.VerifierConfig{HS256Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	tokens := 0
	for _, line := range strings.Split(out.String(), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || !strings.HasPrefix(f[1], "demo-") {
			continue
		}
		c, err := v.Verify(f[2])
		if err != nil {
			t.Fatalf("token for %s: %v", f[1], err)
		}
		adm, err := cat.Admission(ctx, c.Session, c.UserID)
		if err != nil || string(adm.Role) != f[0] || adm.Session.State != catalog.StateLive {
			t.Fatalf("%s cannot join as %s: %+v %v", f[1], f[0], adm, err)
		}
		tokens++
	}
	if tokens != 1+demoStudents {
		t.Fatalf("printed %d tokens:\n%s", tokens, out.String())
	}
}

// TestSeedDemoPrintsClassLinks: one browser link per demo user, to the demo
// session's page, with a working token in the fragment.
func TestSeedDemoPrintsClassLinks(t *testing.T) {
	ctx := context.Background()
	secret := []byte("demo-test-secret-0123456789abcdef0123")
	var out bytes.Buffer
	if err := seedDemo(ctx, catalog.NewMemory(), secret, "127.0.0.1:8080", &out); err != nil {
		t.Fatal(err)
	}
	v, err := identity.NewVerifier(identity.VerifierConfig{HS256Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "http://127.0.0.1:8080/s/demo-live#token="
	links := 0
	for _, line := range strings.Split(out.String(), "\n") {
		_, link, ok := strings.Cut(line, "→ ")
		if !ok {
			continue
		}
		tok, ok := strings.CutPrefix(link, prefix)
		if !ok {
			t.Fatalf("link %q does not start with %q", link, prefix)
		}
		if _, err := v.Verify(tok); err != nil {
			t.Fatalf("link token: %v", err)
		}
		links++
	}
	if links != 1+demoStudents {
		t.Fatalf("printed %d links:\n%s", links, out.String())
	}
}

func TestClassLink(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/s/a%20b#token=T"},
		{"0.0.0.0:80", "http://localhost:80/s/a%20b#token=T"},
		{"[::]:8080", "http://localhost:8080/s/a%20b#token=T"},
		{"class.example:443", "http://class.example:443/s/a%20b#token=T"},
	} {
		if got := classLink(tt.addr, "a b", "T"); got != tt.want {
			t.Errorf("classLink(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
