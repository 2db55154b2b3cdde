package gateway_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// joinWith dials, sends a hello carrying token (and invite), and returns
// the close code the server ends with, or 0 if it admitted the client.
func joinWith(t *testing.T, env *gatewaytest.Env, session, token, invite string, viaSubprotocol bool) (websocket.StatusCode, wire.Error) {
	t.Helper()
	ctx := testCtx(t)
	protocols := []string{wire.Subprotocol}
	h := wire.Hello{Protocol: wire.Version, Session: session, Invite: invite}
	if viaSubprotocol {
		protocols = append(protocols, identity.SubprotocolFor(token))
	} else {
		h.Token = token
	}
	conn, _, err := websocket.Dial(ctx, env.URL, &websocket.DialOptions{Subprotocols: protocols})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	if got := conn.Subprotocol(); got != wire.Subprotocol {
		t.Fatalf("server selected subprotocol %q; the token must never be echoed", got)
	}
	conn.SetReadLimit(64 << 20)
	r := &raw{t: t, env: env, conn: conn}
	r.send(ctx, wire.JSONFrame(wire.TypeHello, h))
	var refusal wire.Error
	var admitted bool
	err = r.readRaw(ctx, func(f wire.Frame) bool {
		switch f.Type {
		case wire.TypeError:
			wire.DecodeJSON(f.Type, f.Payload, &refusal)
		case wire.TypeSynced:
			admitted = true
			return true
		}
		return false
	})
	if admitted {
		return 0, refusal
	}
	return websocket.CloseStatus(err), refusal
}

func TestJoinAuthentication(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := context.Background()
	env.Session(t, "algebra-1", catalog.Settings{})
	env.Enroll(t, "ada", catalog.RoleStudent)
	// Another course's session, for wrong-scope tokens.
	if _, err := env.Catalog.PutCourse(ctx, catalog.Course{ID: "other-course", InstitutionID: gatewaytest.Institution, Name: "Biology"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Catalog.PutSession(ctx, catalog.Session{ID: "bio-1", CourseID: "other-course", Title: "Bio",
		StartsAt: time.Now(), EndsAt: time.Now().Add(time.Hour), State: catalog.StateLive}); err != nil {
		t.Fatal(err)
	}
	ended := env.Session(t, "ended-1", catalog.Settings{})
	ended.State = catalog.StateEnded
	if _, err := env.Catalog.PutSession(ctx, ended); err != nil {
		t.Fatal(err)
	}
	guestSession := env.Session(t, "open-house", catalog.Settings{GuestsAllowed: true, InviteToken: "invite-0123456789abcdef"})

	otherMinter, _ := identity.NewHS256Minter([]byte("a-completely-different-secret-0123456789"))
	forged, _ := otherMinter.Mint(identity.Claims{UserID: "ada", Name: "Ada", Role: "student", Session: "algebra-1"}, time.Hour)
	expired := env.Mint(t, identity.Claims{UserID: "ada", Name: "Ada", Role: "student", Session: "algebra-1",
		IssuedAt: time.Now().Add(-2 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)})
	valid := env.Mint(t, identity.Claims{UserID: "ada", Name: "Ada", Role: "student", Session: "algebra-1"})
	courseWide := env.Mint(t, identity.Claims{UserID: "ada", Name: "Ada", Role: "student", Course: gatewaytest.Course})
	teacherClaim := env.Mint(t, identity.Claims{UserID: "ada", Name: "Ada", Role: "teacher", Session: "algebra-1"})
	stranger := env.Mint(t, identity.Claims{UserID: "zed", Name: "Zed", Role: "student", Session: "algebra-1"})
	guest := env.Mint(t, identity.Claims{UserID: "visitor", Name: "Visitor", Role: "teacher", Session: guestSession.ID})

	tests := []struct {
		name    string
		session string
		token   string
		invite  string
		want    websocket.StatusCode
	}{
		{"valid token in subprotocol", "algebra-1", valid, "", 0},
		{"course-wide token", "algebra-1", courseWide, "", 0},
		{"no token", "algebra-1", "", "", wire.CloseUnauthorized},
		{"garbage token", "algebra-1", "not.a.jwt", "", wire.CloseUnauthorized},
		{"forged signature", "algebra-1", forged, "", wire.CloseBadSignature},
		{"expired", "algebra-1", expired, "", wire.CloseTokenExpired},
		{"token for another session", "bio-1", valid, "", wire.CloseForbidden},
		{"unknown session", "nope", valid, "", wire.CloseForbidden},
		{"not enrolled", "algebra-1", stranger, "", wire.CloseForbidden},
		{"ended session", "ended-1", env.Mint(t, identity.Claims{UserID: "ada", Name: "Ada", Role: "student", Session: "ended-1"}), "", wire.CloseSessionEnded},
		{"guest without invite", guestSession.ID, guest, "", wire.CloseForbidden},
		{"guest with wrong invite", guestSession.ID, guest, "invite-wrong-0123456789", wire.CloseForbidden},
		{"guest with invite", guestSession.ID, guest, "invite-0123456789abcdef", 0},
		{"role claim does not override enrollment", "algebra-1", teacherClaim, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sub := range []bool{true, false} {
				code, refusal := joinWith(t, env, tt.session, tt.token, tt.invite, sub)
				if code != tt.want {
					t.Fatalf("subprotocol=%v: close = %d (%s), want %d", sub, code, refusal.Message, tt.want)
				}
				if tt.want != 0 && refusal.Message == "" {
					t.Fatalf("refused without a readable reason")
				}
			}
		})
	}
}

func TestRoleComesFromEnrollment(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	env.Session(t, "roles", catalog.Settings{})
	env.Enroll(t, "ada", catalog.RoleStudent)
	env.Enroll(t, "visitor", catalog.RoleObserver)
	for user, want := range map[string]string{"ada": "student", "visitor": "observer"} {
		tok := env.Mint(t, identity.Claims{UserID: user, Name: user, Role: "teacher", Session: "roles"})
		conn, _, err := websocket.Dial(ctx, env.URL, &websocket.DialOptions{
			Subprotocols: []string{wire.Subprotocol, identity.SubprotocolFor(tok)}})
		if err != nil {
			t.Fatal(err)
		}
		r := &raw{t: t, env: env, conn: conn}
		r.send(ctx, wire.JSONFrame(wire.TypeHello, wire.Hello{Protocol: 1, Session: "roles"}))
		var w wire.Welcome
		r.until(ctx, func(f wire.Frame) bool {
			return f.Type == wire.TypeWelcome && wire.DecodeJSON(f.Type, f.Payload, &w) == nil
		})
		if w.Role != want || w.User != user {
			t.Fatalf("%s joined as %s/%s, want role %s", user, w.User, w.Role, want)
		}
		conn.CloseNow()
	}
}

// TestOriginAllowList: browsers are judged by Origin against the
// allow-list; clients without an Origin (tablets, the Go client) by their
// token alone.
func TestOriginAllowList(t *testing.T) {
	env := startServer(t, gateway.Config{OriginPatterns: []string{"class.example.edu"}})
	ctx := testCtx(t)
	dial := func(origin string) (int, error) {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, resp, err := websocket.Dial(ctx, env.URL, &websocket.DialOptions{
			Subprotocols: []string{wire.Subprotocol}, HTTPHeader: h})
		if conn != nil {
			conn.CloseNow()
		}
		if resp == nil {
			return 0, err
		}
		return resp.StatusCode, err
	}
	if code, err := dial("https://evil.example.com"); err == nil || code != http.StatusForbidden {
		t.Fatalf("foreign origin: %d, %v", code, err)
	}
	if code, err := dial("https://class.example.edu"); err != nil || code != http.StatusSwitchingProtocols {
		t.Fatalf("allowed origin: %d, %v", code, err)
	}
	if code, err := dial(""); err != nil || code != http.StatusSwitchingProtocols {
		t.Fatalf("no origin: %d, %v", code, err)
	}
}
