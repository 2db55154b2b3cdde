package crdt

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/automerge/automerge-go"
)

var updateJSBase = flag.Bool("update-js-base", false, "rewrite testdata/js_base.bin; then rerun testdata/gen_js_fixture.mjs")

// TestJSFixture reads changes and a document written by JavaScript
// Automerge 3 on top of a Go snapshot (see testdata/gen_js_fixture.mjs).
func TestJSFixture(t *testing.T) {
	if *updateJSBase {
		writeJSBase(t)
		t.Skip("wrote testdata/js_base.bin; now run testdata/gen_js_fixture.mjs")
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var want State
	if err := json.Unmarshal(read("js_expected.json"), &want); err != nil {
		t.Fatal(err)
	}

	t.Run("changes", func(t *testing.T) {
		d, err := Load(read("js_base.bin"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := d.ApplyChanges(read("js_changes.bin"))
		if err != nil {
			t.Fatal(err)
		}
		if a.Count != 3 {
			t.Fatalf("applied %d changes, want 3", a.Count)
		}
		checkState(t, d, want)
		// JavaScript's encoder and automerge-go's agree: the compact form
		// still loads.
		if _, compact, err := d.SaveChecked(); err != nil || !compact {
			t.Fatalf("SaveChecked after JS changes: compact %v, %v", compact, err)
		}
		// The fixture must really hold both string representations.
		kind := func(path ...any) automerge.Kind {
			v, err := d.Automerge().Path(path...).Get()
			if err != nil {
				t.Fatal(err)
			}
			return v.Kind()
		}
		if k := kind(keyBoard, "js-pen", keyTool); k != automerge.KindText {
			t.Errorf("js-pen tool is %v, want Text", k)
		}
		if k := kind(keyBoard, "js-text", keyTool); k != automerge.KindStr {
			t.Errorf("js-text tool is %v, want Str", k)
		}
		if k := kind(keyBoard, "js-pen", keyWidth); k != automerge.KindInt64 {
			t.Errorf("js-pen width is %v, want Int64", k)
		}
	})
	t.Run("document", func(t *testing.T) {
		d, err := Load(read("js_doc.bin"))
		if err != nil {
			t.Fatal(err)
		}
		checkState(t, d, want)
	})
}

func checkState(t *testing.T, d *Doc, want State) {
	t.Helper()
	got, err := d.State()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("state mismatch\ngot  %s\nwant %s", g, w)
	}
	// The fixture covers Text, scalar strings, ints and floats.
	if s := got.Board["js-pen"]; s.Width != 3 || len(s.Points) != 6 || s.Points[5] != 60.25 || s.Color != "#ff0000" {
		t.Fatalf("js-pen = %+v", s)
	}
	if s := got.Board["go-pen"]; len(s.Points) != 6 || s.Points[4] != 7 {
		t.Fatalf("go-pen = %+v", s)
	}
}

func writeJSBase(t *testing.T) {
	d, err := New("fixture-session")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetPresence("teacher", Presence{Name: "Ms T", Role: RoleTeacher, JoinedAt: 1700000000000, Status: StatusOnline}); err != nil {
		t.Fatal(err)
	}
	if err := d.RaiseHand("teacher", 1700000000002); err != nil {
		t.Fatal(err)
	}
	if err := d.AddStroke(Stroke{ID: "go-pen", Author: "teacher", Tool: ToolPen, Color: "#000000", Width: 2, Points: []float64{1, 2, 3.5, 4}, Created: 1700000000003}); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d, "go: base")
	if err := os.WriteFile(filepath.Join("testdata", "js_base.bin"), d.Save(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStateLenient writes values of every kind a client could write and
// checks State reads what it can and skips the rest without failing.
func TestStateLenient(t *testing.T) {
	d := newServer(t)
	am := d.Automerge()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	board, err := d.section(keyBoard)
	must(err)
	s := automerge.NewMap()
	must(board.Set("odd", s))
	must(s.Set(keyID, automerge.NewText("odd")))
	must(s.Set(keyWidth, uint64(4)))
	must(s.Set(keyCreated, 12.9))
	must(s.Set(keyColor, 42.0)) // wrong type: reads as ""
	must(s.Set(keyPoints, []any{int64(1), uint64(2), 3.5, "x", true}))
	must(board.Set("not-a-map", "junk")) // skipped
	hands, err := d.section(keyHands)
	must(err)
	must(hands.Set("u1", 5.0))
	must(hands.Set("u2", "soon")) // skipped
	must(am.RootMap().Set(keyPresence, "clobbered"))
	_, err = am.Commit("lenient")
	must(err)

	got, err := d.State()
	must(err)
	want := State{
		Meta:     Meta{Schema: 1, Session: "session-1"},
		Board:    map[string]Stroke{"odd": {ID: "odd", Width: 4, Created: 12, Points: []float64{1, 2, 3.5}}},
		Hands:    map[string]int64{"u1": 5},
		Presence: map[string]Presence{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// Edits need their section and say so.
	if err := d.SetPresence("u1", Presence{Role: RoleStudent, Status: StatusOnline}); !errorsIs(err, ErrSchema) {
		t.Fatalf("SetPresence on clobbered section: %v", err)
	}
}

func TestStateAt(t *testing.T) {
	d, err := New("s")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddStroke(Stroke{ID: "a", Author: "u", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit(""); err != nil {
		t.Fatal(err)
	}
	then := d.Heads()
	if err := d.AddStroke(Stroke{ID: "b", Author: "u", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit(""); err != nil {
		t.Fatal(err)
	}
	past, err := d.StateAt(then)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := past.Board["a"]; !ok || len(past.Board) != 1 {
		t.Fatalf("board at first heads = %v, want only a", past.Board)
	}
	if now, _ := d.State(); len(now.Board) != 2 {
		t.Fatalf("current board = %v", now.Board)
	}
	if _, err := d.StateAt([]Hash{{1, 2, 3}}); !errors.Is(err, ErrUnknownHeads) {
		t.Fatalf("unknown heads: err = %v", err)
	}
}
