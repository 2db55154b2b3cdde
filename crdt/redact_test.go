package crdt

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/automerge/automerge-go"
)

// redactFixture is a session in which ada drew, raised her hand and was
// renamed once (the old name stays in the history), beside bo, who did
// the same.
func redactFixture(t *testing.T) *Doc {
	t.Helper()
	d := newServer(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.SetPresence("ada-7", Presence{Name: "Ada Before", Role: RoleStudent, JoinedAt: 1000, Status: StatusOnline}))
	mustCommit(t, d, "join")
	must(d.SetPresence("ada-7", Presence{Name: "Ada Lovelace", Role: RoleStudent, JoinedAt: 1000, Status: StatusOffline, LeftAt: 9000}))
	must(d.SetPresence("bo", Presence{Name: "Bo Teacher", Role: RoleTeacher, JoinedAt: 900, Status: StatusOnline}))
	must(d.AddStroke(stroke("ada-7-s1", "ada-7", 1, 2, 3, 4)))
	must(d.AddStroke(Stroke{ID: "t1", Author: "ada-7", Tool: ToolText, Color: "#000000", Width: 1, Points: []float64{5, 5}, Text: "x = 2", Created: 1}))
	must(d.AddStroke(stroke("bo-s1", "bo", 9, 9)))
	must(d.RaiseHand("ada-7", 5000))
	must(d.RaiseHand("bo", 6000))
	must(d.SetSettings(Settings{BoardLocked: true}))
	mustCommit(t, d, "more")
	// A field this package does not know, as the JavaScript client writes
	// a stylus's pressure.
	must(d.Automerge().Path(keyBoard, "ada-7-s1", "pressure").Set([]any{0.5, 0.75}))
	must(d.Automerge().Path(keyBoard, "bo-s1", "tool").Set(automerge.NewText("pen")))
	if _, err := d.Automerge().Commit("client"); err != nil {
		t.Fatal(err)
	}
	// The deleted hand and a deleted stroke are in the history only.
	must(d.LowerHand("ada-7"))
	must(d.RaiseHand("ada-7", 7000))
	mustCommit(t, d, "hand again")
	return d
}

func TestRedactRemovesTheUserFromStateAndBytes(t *testing.T) {
	d := redactFixture(t)
	before, err := d.State()
	if err != nil {
		t.Fatal(err)
	}
	// The control: the original's bytes show what the copy's must not.
	for _, needle := range []string{"ada-7", "Ada Lovelace", "Ada Before"} {
		if !bytes.Contains(mustUncompressed(t, d.Save()), []byte(needle)) || !bytes.Contains(mustChanges(t, d), []byte(needle)) {
			t.Fatalf("the fixture's bytes do not hold %q", needle)
		}
	}
	if !before.Mentions("ada-7") {
		t.Fatal("the fixture does not mention ada")
	}
	r, err := Redact(d, "ada-7", "deleted-x1")
	if err != nil {
		t.Fatal(err)
	}
	saved := r.Save()
	for _, form := range [][]byte{saved, mustUncompressed(t, saved), mustChanges(t, r)} {
		for _, needle := range []string{"ada-7", "Ada Lovelace", "Ada Before"} {
			if bytes.Contains(form, []byte(needle)) {
				t.Errorf("redacted bytes hold %q", needle)
			}
		}
	}
	loaded, err := Load(saved)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaded.State()
	if err != nil {
		t.Fatal(err)
	}
	if got.Mentions("ada-7") {
		t.Fatalf("redacted state mentions ada: %+v", got)
	}
	if _, ok := got.Presence["bo"]; !ok || len(got.Presence) != 1 || got.Hands["bo"] != 6000 || len(got.Hands) != 1 {
		t.Errorf("presence %v hands %v", got.Presence, got.Hands)
	}
	s, ok := got.Board["deleted-x1-s1"]
	if !ok || s.Author != "deleted-x1" || s.ID != "deleted-x1-s1" || len(s.Points) != 4 || s.Points[3] != 4 {
		t.Errorf("ada's stroke = %+v (%v)", s, ok)
	}
	if txt := got.Board["t1"]; txt.Author != "deleted-x1" || txt.Text != "x = 2" {
		t.Errorf("ada's text stroke = %+v", txt)
	}
	if bo := got.Board["bo-s1"]; bo.Author != "bo" || bo.Tool != ToolPen {
		t.Errorf("bo's stroke = %+v", bo)
	}
	if got.Meta != before.Meta {
		t.Errorf("meta = %+v, want %+v", got.Meta, before.Meta)
	}
	// Unknown fields and kinds survive.
	p, err := loaded.Automerge().Path(keyBoard, "deleted-x1-s1", "pressure").Get()
	if err != nil || p.Kind() != automerge.KindList || p.List().Len() != 2 {
		t.Errorf("pressure = %v, %v", p, err)
	}
	tool, err := loaded.Automerge().Path(keyBoard, "bo-s1", "tool").Get()
	if err != nil || tool.Kind() != automerge.KindText {
		t.Errorf("bo's tool kind = %v, %v; want Text", tool, err)
	}
	// One change by a fresh actor: nothing of d's history.
	if n := len(r.Heads()); n != 1 || r.Actor() == d.Actor() {
		t.Errorf("heads %d, actor %s (was %s)", n, r.Actor(), d.Actor())
	}
	if d.HasAll(r.Heads()) {
		t.Error("the copy shares history with the original")
	}
	// d is unchanged.
	if after, _ := d.State(); !after.Mentions("ada-7") {
		t.Error("Redact changed its input")
	}
}

func TestRedactAbsentUserKeepsState(t *testing.T) {
	d := redactFixture(t)
	r, err := Redact(d, "nobody", "deleted-x2")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, d), mustJSON(t, r); a != b {
		t.Errorf("state changed:\n%s\n%s", a, b)
	}
}

func TestRedactRefusesBadArguments(t *testing.T) {
	d := newServer(t)
	for _, c := range [][2]string{{"", "p"}, {"u", ""}, {"u", "u"}} {
		if _, err := Redact(d, c[0], c[1]); err == nil {
			t.Errorf("Redact(%q, %q) accepted", c[0], c[1])
		}
		if _, _, err := RedactSnapshotJSON([]byte(`{}`), c[0], c[1]); err == nil {
			t.Errorf("RedactSnapshotJSON(%q, %q) accepted", c[0], c[1])
		}
	}
}

func TestRedactSnapshotJSON(t *testing.T) {
	d := redactFixture(t)
	state := []byte(mustJSON(t, d))
	// What an analyst's table may hold besides: a field of a newer schema
	// and a time whose digits a float64 would not keep.
	state = bytes.Replace(state, []byte(`"meta":{`), []byte(`"extra":{"n":1700000000000000123},"meta":{`), 1)
	out, changed, err := RedactSnapshotJSON(state, "ada-7", "deleted-x1")
	if err != nil || !changed {
		t.Fatalf("changed %v, %v", changed, err)
	}
	for _, needle := range []string{"ada-7", "Ada Lovelace"} {
		if bytes.Contains(out, []byte(needle)) {
			t.Errorf("redacted snapshot holds %q: %s", needle, out)
		}
	}
	if !bytes.Contains(out, []byte(`"n":1700000000000000123`)) {
		t.Errorf("unknown field or exact number lost: %s", out)
	}
	// The rendering of the redacted document is the redacted rendering.
	r, err := Redact(d, "ada-7", "deleted-x1")
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, []byte(mustJSON(t, r)))
	got := jsonOf(t, out)
	delete(got, "extra")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("redacted snapshot\n%s\nwant the redacted document's\n%s", out, mustJSON(t, r))
	}
	// Nothing to redact: the same bytes back.
	again, changed, err := RedactSnapshotJSON(out, "ada-7", "deleted-x2")
	if err != nil || changed || !bytes.Equal(again, out) {
		t.Errorf("second redaction: changed %v, %v", changed, err)
	}
	if _, _, err := RedactSnapshotJSON([]byte(`not json`), "a", "b"); err == nil {
		t.Error("malformed JSON accepted")
	}
}

func mustUncompressed(t *testing.T, saved []byte) []byte {
	t.Helper()
	b, err := Uncompressed(saved)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustChanges(t *testing.T, d *Doc) []byte {
	t.Helper()
	b, err := d.AllChanges()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonOf decodes b into a generic value, for comparisons.
func jsonOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
