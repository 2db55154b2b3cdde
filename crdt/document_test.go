package crdt

import (
	"errors"
	"testing"
)

func TestConverge(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)

	// Concurrent edits on both sides.
	if err := server.SetPresence("teacher", Presence{Name: "Ms T", Role: RoleTeacher, JoinedAt: 1, Status: StatusOnline}); err != nil {
		t.Fatal(err)
	}
	if err := server.SetPresence("u1", Presence{Name: "Ann", Role: RoleStudent, JoinedAt: 2, Status: StatusOnline}); err != nil {
		t.Fatal(err)
	}
	if err := server.RaiseHand("u1", 100); err != nil {
		t.Fatal(err)
	}
	if err := server.AddStroke(stroke("s-server", "teacher", 0, 0, 10, 10)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "server batch")

	if err := client.AddStroke(stroke("s-client", "u1", 1, 2, 3, 4)); err != nil {
		t.Fatal(err)
	}
	if err := client.RaiseHand("u2", 200); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, client, "client 1")
	if err := client.AppendPoints("s-client", 5, 6, 7.5, 8); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, client, "client 2")

	syncDocs(t, server, client)

	if !hashesEqual(server.Heads(), client.Heads()) {
		t.Fatalf("heads differ: %v vs %v", server.Heads(), client.Heads())
	}
	sj, cj := mustJSON(t, server), mustJSON(t, client)
	if sj != cj {
		t.Fatalf("state differs:\nserver %s\nclient %s", sj, cj)
	}
	st, err := server.State()
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Board["s-client"].Points; len(got) != 8 || got[6] != 7.5 {
		t.Fatalf("points = %v", got)
	}
	if st.Hands["u1"] != 100 || st.Hands["u2"] != 200 {
		t.Fatalf("hands = %v", st.Hands)
	}
	if st.Meta != (Meta{Schema: SchemaVersion, Session: "session-1"}) {
		t.Fatalf("meta = %+v", st.Meta)
	}
	t.Logf("converged: %s", sj)
}

func TestSaveForCheckRoundTrip(t *testing.T) {
	d, err := New("s")
	if err != nil {
		t.Fatal(err)
	}
	b, heads, check, err := d.SaveForCheck()
	if err != nil || !check {
		t.Fatalf("first save: check=%v err=%v", check, err)
	}
	if err := CheckSaved(b, heads); err != nil {
		t.Fatal(err)
	}
	d.RecordSaveCheck(heads, true)
	if _, _, check, _ := d.SaveForCheck(); check {
		t.Fatal("unchanged document asked for a second check")
	}
	if err := CheckSaved(b[:len(b)-1], heads); !errors.Is(err, ErrSaveBroken) {
		t.Fatalf("truncated save: %v", err)
	}
	d.RecordSaveCheck(heads, false)
	log, _, check, err := d.SaveForCheck()
	if err != nil || check {
		t.Fatalf("broken: check=%v err=%v", check, err)
	}
	if _, err := Load(log); err != nil {
		t.Fatalf("change log does not load: %v", err)
	}
}
