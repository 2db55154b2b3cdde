package rooms

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

func hello(session, user string) JoinRequest {
	return JoinRequest{Session: session, Name: user, User: user, Role: RoleStudent}
}

func TestFreshJoinGetsSnapshotThenSynced(t *testing.T) {
	r := NewRegistry(Config{}, store.NewMemory(), nil, nil)
	defer r.Shutdown(context.Background())
	c := newFakeConn()
	m, err := r.Join(context.Background(), hello("s1", "ada"), c)
	if err != nil {
		t.Fatal(err)
	}
	// The document, then the activities' state and the chat history.
	want := []wire.Type{wire.TypeWelcome, wire.TypeSnapshot, wire.TypeSynced, wire.TypeApp, wire.TypeApp}
	if got := c.types(); !slices.Equal(got, want) {
		t.Fatalf("frames = %v, want %v", got, want)
	}
	if m.User != "ada" || m.Role != "student" {
		t.Fatalf("member = %+v", m)
	}
}

func TestJoinModes(t *testing.T) {
	r := NewRegistry(Config{}, store.NewMemory(), nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	first := newFakeConn()
	if _, err := r.Join(ctx, hello("modes", "a"), first); err != nil {
		t.Fatal(err)
	}
	doc, err := crdt.Load(first.frames[1].Payload)
	if err != nil {
		t.Fatal(err)
	}
	heads := crdt.HashStrings(doc.Heads())

	known := newFakeConn()
	if _, err := r.Join(ctx, JoinRequest{Session: "modes", Name: "b", User: "b", Role: RoleStudent, Heads: heads}, known); err != nil {
		t.Fatal(err)
	}
	var w wire.Welcome
	wire.DecodeJSON(wire.TypeWelcome, known.frames[0].Payload, &w)
	if w.Mode != wire.ModeChanges {
		t.Fatalf("known heads: mode = %s", w.Mode)
	}

	unknown := newFakeConn()
	bogus := []string{crdt.Hash{1}.String()}
	if _, err := r.Join(ctx, JoinRequest{Session: "modes", Name: "c", User: "c", Role: RoleStudent, Heads: bogus}, unknown); err != nil {
		t.Fatal(err)
	}
	wire.DecodeJSON(wire.TypeWelcome, unknown.frames[0].Payload, &w)
	if w.Mode != wire.ModeSync || unknown.frames[1].Type != wire.TypeSync {
		t.Fatalf("unknown heads: mode = %s, then %v", w.Mode, unknown.types())
	}
}

func TestSessionFull(t *testing.T) {
	r := NewRegistry(Config{MaxParticipants: 1}, store.NewMemory(), nil, nil)
	defer r.Shutdown(context.Background())
	if _, err := r.Join(context.Background(), hello("full", "a"), newFakeConn()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Join(context.Background(), hello("full", "b"), newFakeConn()); !errors.Is(err, ErrSessionFull) {
		t.Fatalf("err = %v, want ErrSessionFull", err)
	}
}

func TestRosterIsBatchedAndRecordsLeave(t *testing.T) {
	r := NewRegistry(Config{RosterInterval: 20 * time.Millisecond, CursorInterval: 5 * time.Millisecond}, store.NewMemory(), nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	watcher := newFakeConn()
	if _, err := r.Join(ctx, hello("roster", "w"), watcher); err != nil {
		t.Fatal(err)
	}
	var members []*Member
	for _, u := range []string{"a", "b", "c"} {
		m, err := r.Join(ctx, hello("roster", u), newFakeConn())
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
	}
	doc, _ := crdt.Load(watcher.frames[1].Payload)
	apply := func() crdt.State {
		watcher.mu.Lock()
		defer watcher.mu.Unlock()
		for _, f := range watcher.frames[3:] {
			if f.Type == wire.TypeChanges {
				_, chunks, _ := wire.ParseChanges(f.Payload)
				doc.ApplyChanges(chunks)
			}
		}
		watcher.frames = watcher.frames[:3]
		st, _ := doc.State()
		return st
	}
	var st crdt.State
	if !waitFor(5*time.Second, func() bool { st = apply(); return len(st.Presence) == 4 }) {
		t.Fatalf("roster = %v", st.Presence)
	}
	members[0].Leave()
	if !waitFor(5*time.Second, func() bool { st = apply(); return st.Presence["a"].Status == "offline" }) {
		t.Fatalf("a after leave = %+v", st.Presence["a"])
	}
	if st.Presence["a"].LeftAt == 0 || st.Presence["b"].Status != "online" {
		t.Fatalf("roster = %+v", st.Presence)
	}
}

func TestIdleSessionUnloadsAndReloads(t *testing.T) {
	st := store.NewMemory()
	r := NewRegistry(Config{IdleTimeout: 20 * time.Millisecond}, st, nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	m, err := r.Join(ctx, hello("idle", "a"), newFakeConn())
	if err != nil {
		t.Fatal(err)
	}
	m.Leave()
	if !waitFor(5*time.Second, func() bool { return r.Len() == 0 }) {
		t.Fatal("idle session never unloaded")
	}
	saved, _ := st.LoadDoc(ctx, "idle")
	if saved == nil {
		t.Fatal("unloaded session was not saved")
	}
	c := newFakeConn()
	if _, err := r.Join(ctx, hello("idle", "b"), c); err != nil {
		t.Fatal(err)
	}
	doc, err := crdt.Load(c.frames[1].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := doc.State(); s.Presence["a"].Status != "offline" {
		t.Fatalf("reloaded roster lost a's visit: %+v", s.Presence)
	}
}

func TestShutdownClosesMembersWith1012(t *testing.T) {
	r := NewRegistry(Config{}, store.NewMemory(), nil, nil)
	c := newFakeConn()
	if _, err := r.Join(context.Background(), hello("bye", "a"), c); err != nil {
		t.Fatal(err)
	}
	if err := r.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.closed != wire.CloseServiceRestart {
		t.Fatalf("close = %d", c.closed)
	}
	if _, err := r.Join(context.Background(), hello("bye", "b"), newFakeConn()); !errors.Is(err, ErrClosed) {
		t.Fatalf("join after shutdown: %v", err)
	}
	if err := r.Shutdown(context.Background()); err != nil {
		t.Fatalf("second shutdown: %v", err)
	}
}

// TestCursorsFollowTheSetting: students see the teacher's cursor, and each
// other's only when student_cursors is on; the teacher sees everyone's.
func TestCursorsFollowTheSetting(t *testing.T) {
	r := NewRegistry(Config{CursorInterval: 5 * time.Millisecond}, store.NewMemory(), nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	join := func(user string, role Role, settings catalog.Settings) (*Member, *fakeConn) {
		c := newFakeConn()
		m, err := r.Join(ctx, JoinRequest{Session: "cursors", Name: user, User: user, Role: role, Settings: settings}, c)
		if err != nil {
			t.Fatal(err)
		}
		return m, c
	}
	teacher, tc := join("t", RoleTeacher, catalog.Settings{})
	_, ac := join("ada", RoleStudent, catalog.Settings{})
	bob, _ := join("bob", RoleStudent, catalog.Settings{})
	seen := func(c *fakeConn) map[string]bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		out := map[string]bool{}
		for _, f := range c.frames {
			if f.Type == wire.TypePresence {
				var b wire.PresenceBatch
				json.Unmarshal(f.Payload, &b)
				for _, p := range b.Peers {
					out[p.User] = true
				}
			}
		}
		return out
	}
	move := func(m *Member) {
		if err := m.Presence(ctx, wire.Presence{Cursor: []float64{1, 2}, Status: "active"}); err != nil {
			t.Fatal(err)
		}
	}
	// Bob moves first, so any frame carrying his cursor reaches Ada no
	// later than the one carrying the teacher's, which she waits for.
	move(bob)
	if !waitFor(5*time.Second, func() bool { return seen(tc)["bob"] }) {
		t.Fatalf("teacher saw %v", seen(tc))
	}
	move(teacher)
	if !waitFor(5*time.Second, func() bool { return seen(ac)["t"] }) {
		t.Fatalf("ada saw %v", seen(ac))
	}
	if seen(ac)["bob"] {
		t.Fatal("a student saw another student's cursor with student_cursors off")
	}
}
