package identity

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestCheckScope(t *testing.T) {
	session := Claims{Institution: "uni", Course: "math-101", Session: "algebra-1"}
	course := Claims{Institution: "uni", Course: "math-101"}
	bare := Claims{Session: "algebra-1"}
	tests := []struct {
		name                      string
		c                         Claims
		institution, course, sess string
		ok                        bool
	}{
		{"session token, its session", session, "uni", "math-101", "algebra-1", true},
		{"session token, other session", session, "uni", "math-101", "algebra-2", false},
		{"session token, other course", session, "uni", "math-102", "algebra-1", false},
		{"session token, other institution", session, "other-uni", "math-101", "algebra-1", false},
		{"session token, course unknown", session, "uni", "", "algebra-1", false},
		{"course token, a session of the course", course, "uni", "math-101", "algebra-7", true},
		{"course token, other course", course, "uni", "math-102", "algebra-7", false},
		{"course token, other institution", course, "other-uni", "math-101", "algebra-7", false},
		{"course token, course unknown", course, "uni", "", "algebra-7", false},
		{"bare session token, any institution", bare, "uni", "math-101", "algebra-1", true},
		{"bare session token, nothing else known", bare, "", "", "algebra-1", true},
		{"bare session token, other session", bare, "", "", "algebra-2", false},
		{"no scope at all", Claims{Institution: "uni"}, "uni", "math-101", "algebra-1", false},
	}
	for _, tt := range tests {
		err := CheckScope(tt.c, tt.institution, tt.course, tt.sess)
		if tt.ok && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if !tt.ok && !errors.Is(err, ErrWrongScope) {
			t.Errorf("%s: %v, want ErrWrongScope", tt.name, err)
		}
	}
}

func TestClaimsLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	c := testClaims()
	c.Name = "Ada Lovelace"
	log.Info("joined", "claims", c)
	out := buf.String()
	for _, want := range []string{"claims.user=u-ada", "claims.role=student", "claims.session=algebra-1", "claims.course=math-101", "claims.inst=uni"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "Lovelace") {
		t.Errorf("log %q contains the display name", out)
	}
}

func TestValidRole(t *testing.T) {
	for _, r := range []string{"teacher", "moderator", "student", "observer"} {
		if !ValidRole(r) {
			t.Errorf("ValidRole(%q) = false", r)
		}
	}
	for _, r := range []string{"", "admin", "Student", "student "} {
		if ValidRole(r) {
			t.Errorf("ValidRole(%q) = true", r)
		}
	}
}
