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
