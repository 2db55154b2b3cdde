// Package gatewaytest starts real Homeroom nodes for tests in other
// packages: a server on a random loopback port with a memory catalog, a
// memory document store and a token secret, plus helpers that create
// sessions, enroll users and mint their join tokens.
package gatewaytest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/gateway"
)

// Fixed ids of the test institution and course every session belongs to.
const (
	Institution = "test-inst"
	Course      = "test-course"
	// AdminKey is the admin API key of test servers.
	AdminKey = "test-admin-key-0123456789"
)

// Secret is the HS256 token secret of test servers.
var Secret = []byte("homeroom-test-secret-0123456789-abcdef")

// Env is a running test node and what it was built from.
type Env struct {
	Server  *gateway.Server
	Catalog *catalog.Memory
	Docs    *store.Memory
	Minter  *identity.Minter
	// URL is the WebSocket endpoint, ws://host:port/ws.
	URL string
	// HTTP is the base URL, http://host:port.
	HTTP string

	stop func()
}

// Options reuse parts of an earlier Env, to restart a node on the same
// store and catalog.
type Options struct {
	Docs    *store.Memory
	Catalog *catalog.Memory
	Addr    string // default 127.0.0.1:0
}

// Start runs a node until the test ends.
func Start(t testing.TB, cfg gateway.Config) *Env {
	return StartWith(t, cfg, Options{})
}

// StartWith runs a node with the given parts until the test ends or Stop.
func StartWith(t testing.TB, cfg gateway.Config, o Options) *Env {
	t.Helper()
	if o.Docs == nil {
		o.Docs = store.NewMemory()
	}
	if o.Catalog == nil {
		o.Catalog = catalog.NewMemory()
	}
	cfg.Addr = o.Addr
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.AdminKey == "" {
		cfg.AdminKey = AdminKey
	}
	verifier, err := identity.NewVerifier(identity.VerifierConfig{HS256Secret: Secret})
	if err != nil {
		t.Fatal(err)
	}
	minter, err := identity.NewHS256Minter(Secret)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := gateway.NewServer(cfg, gateway.Deps{Docs: o.Docs, Catalog: o.Catalog, Audit: o.Catalog, Tokens: verifier}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ctx)
	}()
	e := &Env{Server: srv, Catalog: o.Catalog, Docs: o.Docs, Minter: minter,
		URL: "ws://" + srv.Addr() + "/ws", HTTP: "http://" + srv.Addr()}
	e.stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(e.Stop)
	e.ensureCourse(t)
	return e
}

// Stop shuts the node down gracefully and waits; it is idempotent.
func (e *Env) Stop() {
	if e.stop != nil {
		e.stop()
		e.stop = nil
	}
}

func (e *Env) ensureCourse(t testing.TB) {
	ctx := context.Background()
	if _, err := e.Catalog.GetCourse(ctx, Course); err == nil {
		return
	}
	if _, err := e.Catalog.PutInstitution(ctx, catalog.Institution{ID: Institution, Name: "Test District"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Catalog.PutCourse(ctx, catalog.Course{ID: Course, InstitutionID: Institution, Name: "Algebra"}); err != nil {
		t.Fatal(err)
	}
}

// Session makes sure a live session with this id exists in the test
// course, with the given settings if it is created now.
func (e *Env) Session(t testing.TB, id string, settings catalog.Settings) catalog.Session {
	t.Helper()
	ctx := context.Background()
	if s, err := e.Catalog.GetSession(ctx, id); err == nil {
		return s
	}
	now := time.Now()
	s, err := e.Catalog.PutSession(ctx, catalog.Session{
		ID: id, CourseID: Course, Title: id, StartsAt: now.Add(-time.Minute), EndsAt: now.Add(time.Hour),
		State: catalog.StateLive, Settings: settings,
	})
	if err != nil && !errors.Is(err, catalog.ErrConflict) {
		t.Fatal(err)
	}
	return s
}

// Enroll puts user in the test course with role.
func (e *Env) Enroll(t testing.TB, user string, role catalog.Role) {
	t.Helper()
	if _, err := e.Catalog.PutEnrollment(context.Background(), catalog.Enrollment{CourseID: Course, UserID: user, Role: role}); err != nil {
		t.Fatal(err)
	}
}

// Token creates the session if needed, enrolls user with role and returns
// a join token for that session, valid for an hour.
func (e *Env) Token(t testing.TB, session, user string, role catalog.Role) string {
	t.Helper()
	e.Session(t, session, catalog.Settings{})
	e.Enroll(t, user, role)
	return e.Mint(t, identity.Claims{UserID: user, Name: user, Role: string(role), Session: session})
}

// Mint signs claims with the test secret, valid for an hour unless they
// carry their own expiry.
func (e *Env) Mint(t testing.TB, c identity.Claims) string {
	t.Helper()
	ttl := time.Hour
	if !c.ExpiresAt.IsZero() {
		ttl = 0
	}
	tok, err := e.Minter.Mint(c, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
