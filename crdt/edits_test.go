package crdt

import (
	"errors"
	"testing"
)

func TestEditsValidate(t *testing.T) {
	d := newServer(t)
	bad := []struct {
		name string
		err  error
	}{
		{"empty stroke id", d.AddStroke(Stroke{Tool: ToolPen, Color: "#000000"})},
		{"unknown tool", d.AddStroke(Stroke{ID: "s", Tool: "spray", Color: "#000000"})},
		{"bad color", d.AddStroke(Stroke{ID: "s", Tool: ToolPen, Color: "red"})},
		{"negative width", d.AddStroke(Stroke{ID: "s", Tool: ToolPen, Color: "#000000", Width: -1})},
		{"odd points", d.AddStroke(stroke("s", "u", 1, 2, 3))},
		{"NaN point", d.AddStroke(stroke("s", "u", 1, nan()))},
		{"bad role", d.SetPresence("u", Presence{Role: "king", Status: StatusOnline})},
		{"bad status", d.SetPresence("u", Presence{Role: RoleStudent, Status: "sleeping"})},
		{"empty user", d.SetPresence("", Presence{Role: RoleStudent, Status: StatusOnline})},
		{"bad status change", d.SetPresenceStatus("u", "gone", 1)},
		{"empty hand user", d.RaiseHand("", 1)},
		{"odd append", d.AppendPoints("s", 1)},
	}
	for _, tc := range bad {
		if !errors.Is(tc.err, ErrSchema) {
			t.Errorf("%s: err = %v, want ErrSchema", tc.name, tc.err)
		}
	}
	if err := d.AppendPoints("missing", 1, 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("append to missing stroke: %v", err)
	}
	if err := d.SetPresenceStatus("missing", StatusAway, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("status of missing user: %v", err)
	}
	// Nothing was written.
	if a := mustCommit(t, d, "nothing"); a.Count != 0 || a.Chunks != nil {
		t.Fatalf("commit after rejected edits = %+v", a)
	}
}

func TestPresenceLifecycle(t *testing.T) {
	d := newServer(t)
	p := Presence{Name: "Ann", Role: RoleStudent, JoinedAt: 10, Status: StatusOnline}
	if err := d.SetPresence("u1", p); err != nil {
		t.Fatal(err)
	}
	if err := d.SetPresenceStatus("u1", StatusOffline, 99); err != nil {
		t.Fatal(err)
	}
	st := state(t, d)
	if got := st.Presence["u1"]; got.Status != StatusOffline || got.LeftAt != 99 || got.Name != "Ann" || got.JoinedAt != 10 {
		t.Fatalf("offline = %+v", got)
	}
	if err := d.SetPresenceStatus("u1", StatusOnline, 120); err != nil {
		t.Fatal(err)
	}
	if got := state(t, d).Presence["u1"]; got.Status != StatusOnline || got.LeftAt != 0 {
		t.Fatalf("back online = %+v", got)
	}
	p.Name = "Ann B."
	p.LeftAt = 5
	if err := d.SetPresence("u1", p); err != nil {
		t.Fatal(err)
	}
	if got := state(t, d).Presence["u1"]; got != p {
		t.Fatalf("rewritten = %+v, want %+v", got, p)
	}
	if a := mustCommit(t, d, "presence"); a.Count != 1 {
		t.Fatalf("commit = %+v", a)
	}
	// Rewriting the same values writes nothing.
	if err := d.SetPresence("u1", p); err != nil {
		t.Fatal(err)
	}
	if a := mustCommit(t, d, "same"); a.Count != 0 {
		t.Fatalf("unchanged presence committed %d changes", a.Count)
	}
	// Changing one field writes one op.
	p.Status = StatusAway
	if err := d.SetPresence("u1", p); err != nil {
		t.Fatal(err)
	}
	a := mustCommit(t, d, "away")
	if chunks, err := ParseChunks(a.Chunks, 0); err != nil || chunks[0].Ops != 1 {
		t.Fatalf("status change: %v ops, %v", chunks, err)
	}
}

func TestStrokesAndHands(t *testing.T) {
	d := newServer(t)
	text := Stroke{ID: "t", Author: "u", Tool: ToolText, Color: "#ABCDEF", Width: 1, Points: []float64{5, 6}, Text: "hi", Created: 3}
	for _, err := range []error{
		d.AddStroke(stroke("s", "u")),
		d.AppendPoints("s", 1, 2, 3, 4),
		d.AppendPoints("s"),
		d.AddStroke(text),
		d.RaiseHand("u1", 7),
		d.RaiseHand("u2", 8),
		d.LowerHand("u2"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := state(t, d)
	if got := st.Board["s"].Points; len(got) != 4 || got[3] != 4 {
		t.Fatalf("points = %v", got)
	}
	if got := st.Board["t"]; got.Text != "hi" || got.Color != "#ABCDEF" || got.Tool != ToolText {
		t.Fatalf("text stroke = %+v", got)
	}
	if len(st.Hands) != 1 || st.Hands["u1"] != 7 {
		t.Fatalf("hands = %v", st.Hands)
	}
	mustCommit(t, d, "batch")

	// Replacing a stroke, deleting one, and idempotent no-ops.
	if err := d.AddStroke(stroke("s", "u", 9, 9)); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteStroke("t"); err != nil {
		t.Fatal(err)
	}
	st = state(t, d)
	if _, ok := st.Board["t"]; ok || len(st.Board["s"].Points) != 2 {
		t.Fatalf("board = %+v", st.Board)
	}
	mustCommit(t, d, "replace")
	if err := d.DeleteStroke("t"); err != nil {
		t.Fatal(err)
	}
	if err := d.LowerHand("nobody"); err != nil {
		t.Fatal(err)
	}
	if a := mustCommit(t, d, "no-ops"); a.Count != 0 {
		t.Fatalf("no-op edits committed %+v", a)
	}
}

// TestCommitAfterImplicitCommit checks that edits survive automerge's
// implicit commits: history operations between edits and Commit must not
// lose the change Commit returns.
func TestCommitAfterImplicitCommit(t *testing.T) {
	d := newServer(t)
	peer := replica(t, d)
	if err := d.RaiseHand("u1", 1); err != nil {
		t.Fatal(err)
	}
	heads := d.Heads() // commits implicitly
	if err := d.RaiseHand("u2", 2); err != nil {
		t.Fatal(err)
	}
	_ = d.Save() // again
	if err := d.RaiseHand("u3", 3); err != nil {
		t.Fatal(err)
	}
	a := mustCommit(t, d, "batch")
	if a.Count != 3 || a.Hashes[0] != heads[0] {
		t.Fatalf("commit = %d changes %v, want 3 starting with %s", a.Count, a.Hashes, heads[0])
	}
	if _, err := peer.ApplyChanges(a.Chunks); err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, peer) != mustJSON(t, d) {
		t.Fatal("peer did not get every edit")
	}
	if a := mustCommit(t, d, "again"); a.Count != 0 {
		t.Fatalf("second commit = %+v", a)
	}
}

func TestActor(t *testing.T) {
	d := newServer(t)
	if len(d.Actor()) != 32 {
		t.Fatalf("actor = %q", d.Actor())
	}
	for _, bad := range []string{"", "abc", "zz"} {
		if err := d.SetActor(bad); err == nil {
			t.Errorf("SetActor(%q) succeeded", bad)
		}
	}
	if err := d.SetActor("00aa"); err != nil || d.Actor() != "00aa" {
		t.Fatalf("SetActor: %v, actor %q", err, d.Actor())
	}
	if err := d.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	a := mustCommit(t, d, "")
	chunks, err := ParseChunks(a.Chunks, 0)
	if err != nil || chunks[0].ActorHex != "00aa" {
		t.Fatalf("change actor %v, %v", chunks, err)
	}
}

func TestNewAndLoad(t *testing.T) {
	if _, err := New(""); !errors.Is(err, ErrSchema) {
		t.Fatalf("New(\"\"): %v", err)
	}
	d := newServer(t)
	if err := d.AddStroke(stroke("s", "u", 1, 2)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d, "")
	snap := d.Save()
	peer := replica(t, d)
	extra := clientChange(t, peer, "later")

	// A snapshot followed by changes, as a store may keep it.
	l, err := Load(append(append([]byte{}, snap...), extra.Chunks...))
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, l) != mustJSON(t, peer) || !hashesEqual(l.Heads(), peer.Heads()) {
		t.Fatal("loaded doc differs from peer")
	}

	// A change log, as AllChanges returns.
	log, err := peer.AllChanges()
	if err != nil {
		t.Fatal(err)
	}
	if l, err := Load(log); err != nil || mustJSON(t, l) != mustJSON(t, peer) {
		t.Fatalf("Load(change log): %v", err)
	}

	bad := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"garbage", []byte("not automerge"), ErrBadMagic},
		{"truncated", snap[:len(snap)-1], ErrTruncated},
		{"change log missing its start", extra.Chunks, ErrMissingDeps},
		{"two documents", append(append([]byte{}, snap...), snap...), ErrChunkType},
		{"missing deps", append(append([]byte{}, snap...), clientChange(t, peer, "orphan").Chunks...), ErrMissingDeps},
	}
	for _, tc := range bad {
		if _, err := Load(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestLoadNewerSchema(t *testing.T) {
	d := newServer(t)
	meta, err := d.section(keyMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := meta.Set(keySchema, int64(SchemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(d.Save()); !errors.Is(err, ErrSchema) {
		t.Fatalf("Load newer schema: %v", err)
	}
}

func state(t testing.TB, d *Doc) State {
	t.Helper()
	s, err := d.State()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSetSettings(t *testing.T) {
	d, err := New("s")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetSettings(Settings{BoardLocked: true}); err != nil {
		t.Fatal(err)
	}
	a, err := d.Commit("settings")
	if err != nil || a.Count != 1 {
		t.Fatalf("commit: %+v %v", a, err)
	}
	st, _ := d.State()
	if !st.Meta.Settings.BoardLocked || st.Meta.Settings.ChatLocked {
		t.Fatalf("settings = %+v", st.Meta.Settings)
	}
	if err := d.SetSettings(Settings{BoardLocked: true}); err != nil {
		t.Fatal(err)
	}
	if a, _ := d.Commit("same"); a.Count != 0 {
		t.Fatal("unchanged settings made a change")
	}
}

func TestClearBoardAndHands(t *testing.T) {
	d, _ := New("s")
	for _, id := range []string{"a", "b"} {
		if err := d.AddStroke(Stroke{ID: id, Author: "u", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}}); err != nil {
			t.Fatal(err)
		}
	}
	d.RaiseHand("u", 1)
	d.Commit("")
	if n, err := d.ClearBoard(); err != nil || n != 2 {
		t.Fatalf("ClearBoard = %d, %v", n, err)
	}
	if n, err := d.LowerAllHands(); err != nil || n != 1 {
		t.Fatalf("LowerAllHands = %d, %v", n, err)
	}
	if a, _ := d.Commit(""); a.Count != 1 {
		t.Fatalf("clearing made %d changes", a.Count)
	}
	st, _ := d.State()
	if len(st.Board) != 0 || len(st.Hands) != 0 {
		t.Fatalf("after clearing: %+v", st)
	}
}
