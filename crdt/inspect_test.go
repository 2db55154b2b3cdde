package crdt

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/automerge/automerge-go"
)

// inspectRaw decodes and inspects one change chunk.
func inspectRaw(t testing.TB, ix *ObjectIndex, raw []byte) ([]Op, []Target) {
	t.Helper()
	chunks, err := ParseChunks(raw, 0)
	if err != nil || len(chunks) != 1 {
		t.Fatalf("ParseChunks: %d chunks, %v", len(chunks), err)
	}
	ops, err := DecodeOps(chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	targets, err := Inspect(ix, ops)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != len(ops) {
		t.Fatalf("%d targets for %d ops", len(targets), len(ops))
	}
	for i, tg := range targets {
		if tg.Op != i || tg.Action != ops[i].Action {
			t.Fatalf("target %d: %+v for op %v", i, tg, ops[i])
		}
	}
	return ops, targets
}

// tgt formats a target compactly: section/entry/field, flags, creator.
func tgt(t Target) string {
	s := fmt.Sprintf("%s/%s/%s %s", t.Section, t.Entry, t.Field, t.Action)
	for _, f := range []struct {
		on   bool
		name string
	}{{t.Root, "root"}, {t.Nested, "nested"}, {t.CreatesEntry, "creates"}, {t.DeletesEntry, "deletes"}} {
		if f.on {
			s += " " + f.name
		}
	}
	if c := t.EntryCreator; c != "" {
		s += " by " + c[:min(4, len(c))]
	}
	if t.Value.Kind != ValueNull {
		s += " = " + t.Value.String()
	}
	return s
}

// checkTargets compares targets, formatted by tgt, with want; a want
// ending in "..." covers that target and all the remaining ones.
func checkTargets(t *testing.T, what string, targets []Target, want ...string) {
	t.Helper()
	got := make([]string, len(targets))
	for i, tg := range targets {
		got[i] = tgt(tg)
	}
	for i, w := range want {
		if rest, ok := strings.CutSuffix(w, "..."); ok {
			for j := i; j < len(got); j++ {
				if !strings.HasPrefix(got[j], rest) {
					t.Fatalf("%s: target %d = %q, want prefix %q\nall: %q", what, j, got[j], rest, got)
				}
			}
			return
		}
		if i >= len(got) || got[i] != w {
			t.Fatalf("%s: targets\n%q\nwant\n%q", what, got, want)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: targets\n%q\nwant\n%q", what, got, want)
	}
}

// applyAndIndex applies a change to server and adds it to ix.
func applyAndIndex(t testing.TB, server *Doc, ix *ObjectIndex, raw []byte) {
	t.Helper()
	a, err := server.ApplyChanges(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.AddChanges(a.Chunks); err != nil {
		t.Fatal(err)
	}
}

// TestInspectGo inspects the changes of every Go edit, made by a client
// against a server document where the teacher drew a stroke and a student
// raised a hand.
func TestInspectGo(t *testing.T) {
	server := newServer(t)
	if err := server.AddStroke(stroke("ts", "t", 1, 2)); err != nil {
		t.Fatal(err)
	}
	if err := server.RaiseHand("u9", 1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "")
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	client := replica(t, server)
	me, srv := client.Actor()[:4], server.Actor()[:4]
	step := func(what string, edit func() error, want ...string) {
		t.Helper()
		if err := edit(); err != nil {
			t.Fatal(err)
		}
		raw := mustCommit(t, client, "").Chunks
		_, targets := inspectRaw(t, ix, raw)
		checkTargets(t, what, targets, want...)
		applyAndIndex(t, server, ix, raw)
	}

	step("add stroke", func() error { return client.AddStroke(benchStroke("s1")) },
		"board/s1/ makeMap creates",
		"board/s1/id set by "+me+` = "s1"`,
		"board/s1/author set by "+me+` = "u1"`,
		"board/s1/tool set by "+me+` = "pen"`,
		"board/s1/color set by "+me+` = "#336699"`,
		"board/s1/width set by "+me+" = 2f",
		"board/s1/created set by "+me+" = 1700000000000",
		"board/s1/points makeList by "+me,
		"board/s1/points set nested by "+me+"...")
	step("append points", func() error { return client.AppendPoints("s1", 1, 2, 3, 4) },
		"board/s1/points set nested by "+me+" = 1f",
		"board/s1/points set nested by "+me+"...")
	step("append to the teacher's stroke", func() error { return client.AppendPoints("ts", 5, 6) },
		"board/ts/points set nested by "+srv+"...")
	step("raise another user's hand", func() error { return client.RaiseHand("u9", 5) },
		"hands/u9/ set by "+srv+" = 5")
	step("raise a new hand", func() error { return client.RaiseHand("u1", 6) },
		"hands/u1/ set creates = 6")
	step("set presence", func() error {
		return client.SetPresence("u1", Presence{Name: "Ann", Role: RoleStudent, JoinedAt: 7, Status: StatusOnline})
	},
		"presence/u1/ makeMap creates",
		"presence/u1/name set by "+me+` = "Ann"`,
		"presence/u1/role set by "+me+` = "student"`,
		"presence/u1/joined_at set by "+me+" = 7",
		"presence/u1/status set by "+me+` = "online"`)
	step("presence status", func() error { return client.SetPresenceStatus("u1", StatusOffline, 8) },
		"presence/u1/status set by "+me+` = "offline"`,
		"presence/u1/left_at set by "+me+" = 8")
	step("delete the teacher's stroke", func() error { return client.DeleteStroke("ts") },
		"board/ts/ del deletes by "+srv)
	step("lower another user's hand", func() error { return client.LowerHand("u9") },
		"hands/u9/ del deletes by "+me) // the client's own RaiseHand wrote the value last
	step("raise it again", func() error { return client.RaiseHand("u9", 9) },
		"hands/u9/ set creates = 9")

	// The index kept up with every change is the one built afresh.
	fresh, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	compareIndexes(t, ix, fresh)
}

// TestInspectRootWrite: a client that creates its own "board" writes a key
// of the root, and what it then writes into that map is not the board.
func TestInspectRootWrite(t *testing.T) {
	server := newServer(t)
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	client := replica(t, server)
	am := client.Automerge()
	board := automerge.NewMap()
	if err := am.RootMap().Set(keyBoard, board); err != nil {
		t.Fatal(err)
	}
	if err := board.Set("s1", automerge.NewMap()); err != nil {
		t.Fatal(err)
	}
	h, err := am.Commit("new board")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := am.Change(h)
	if err != nil {
		t.Fatal(err)
	}
	_, targets := inspectRaw(t, ix, ch.Save())
	checkTargets(t, "new board", targets,
		"/board/ makeMap root",
		"board/s1/ makeMap creates")
}

// TestInspectConflict: a client that writes a stroke id someone else
// already used, without overwriting it (no pred: a concurrent write, which
// may win), does not create the entry.
func TestInspectConflict(t *testing.T) {
	server := newServer(t)
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	a, b := replica(t, server), replica(t, server)
	ca := clientChange(t, a, "dup")
	cb := clientChange(t, b, "dup")
	_, targets := inspectRaw(t, ix, cb.Chunks)
	if !targets[0].CreatesEntry || targets[0].EntryCreator != "" {
		t.Fatalf("first write of dup: %s", tgt(targets[0]))
	}
	applyAndIndex(t, server, ix, ca.Chunks)
	ops, targets := inspectRaw(t, ix, cb.Chunks)
	if len(ops[0].Pred) != 0 || targets[0].CreatesEntry || targets[0].EntryCreator != a.Actor() {
		t.Fatalf("concurrent write of dup: %v → %s", ops[0], tgt(targets[0]))
	}
	// Both values are current; the higher op id (here: the same counter,
	// the greater actor) is the one readers see.
	applyAndIndex(t, server, ix, cb.Chunks)
	w, _ := ix.winner(slot{ops[0].Obj, "dup"})
	if live := ix.live[slot{ops[0].Obj, "dup"}]; len(live) != 2 || w.Actor != max(a.Actor(), b.Actor()) {
		t.Fatalf("live values %v, winner %v", live, w)
	}
}

// TestInspectUnknownObject: an operation on an object the index has not
// seen (the change that made it is missing) fails.
func TestInspectUnknownObject(t *testing.T) {
	server := newServer(t)
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	client := replica(t, server)
	clientChange(t, client, "s1")
	if err := client.AppendPoints("s1", 1, 2); err != nil {
		t.Fatal(err)
	}
	chunks, err := ParseChunks(mustCommit(t, client, "").Chunks, 0)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := DecodeOps(chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(ix, ops); !errors.Is(err, ErrUnknownObject) {
		t.Fatalf("Inspect: %v", err)
	}
	// An object made later in the same change does not count either.
	ops = []Op{
		{ID: OpID{5, "aa"}, Obj: ObjID{6, "aa"}, Key: "k", Action: ActionSet},
		{ID: OpID{6, "aa"}, Obj: RootObj, Key: "x", Action: ActionMakeMap},
	}
	if _, err := Inspect(nil, ops); !errors.Is(err, ErrUnknownObject) {
		t.Fatalf("Inspect: %v", err)
	}
}

func TestInspectMalformed(t *testing.T) {
	list := OpID{1, "aa"}
	base := []Op{{ID: list, Obj: RootObj, Key: "l", Action: ActionMakeList}}
	for name, op := range map[string]Op{
		"element of a map":  {Obj: RootObj, ElemKey: true, Action: ActionSet},
		"key of a list":     {Obj: ObjID(list), Key: "k", Action: ActionSet},
		"insert into a map": {Obj: RootObj, Key: "k", Insert: true, Action: ActionSet},
		"inserting delete":  {Obj: ObjID(list), ElemKey: true, Insert: true, Action: ActionDelete},
	} {
		op.ID = OpID{2, "aa"}
		if _, err := Inspect(nil, append(base, op)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestInspectText: the text a change leaves in a text object it makes is
// the one automerge reads, however the change edits it.
func TestInspectText(t *testing.T) {
	server := newServer(t)
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edits func(*automerge.Text) error
	}{
		{"empty", func(*automerge.Text) error { return nil }},
		{"typed", func(tx *automerge.Text) error { return tx.Append("héllo ✏️ wörld") }},
		{"typed backwards", func(tx *automerge.Text) error {
			for _, r := range "olleh" {
				if err := tx.Insert(0, string(r)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"edited", func(tx *automerge.Text) error {
			for _, e := range []struct {
				pos, del int
				s        string
			}{{0, 0, "abcdef"}, {3, 0, "XY"}, {1, 2, ""}, {0, 0, "<"}, {5, 1, "Z"}, {7, 0, ">"}, {2, 3, "mid"}} {
				if err := tx.Splice(e.pos, e.del, e.s); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		client := replica(t, server)
		am := client.Automerge()
		board, err := am.RootMap().Get(keyBoard)
		if err != nil {
			t.Fatal(err)
		}
		entry := automerge.NewMap()
		if err := board.Map().Set("s", entry); err != nil {
			t.Fatal(err)
		}
		text := automerge.NewText("")
		if err := entry.Set(keyText, text); err != nil {
			t.Fatal(err)
		}
		if err := tc.edits(text); err != nil {
			t.Fatal(err)
		}
		want, err := text.Get()
		if err != nil {
			t.Fatal(err)
		}
		h, err := am.Commit("")
		if err != nil {
			t.Fatal(err)
		}
		ch, err := am.Change(h)
		if err != nil {
			t.Fatal(err)
		}
		_, targets := inspectRaw(t, ix, ch.Save())
		if tg := targets[1]; tg.Field != keyText || tg.Action != ActionMakeText || tg.Value.String() != str(want).String() || tg.Value.Kind != ValueStr {
			t.Errorf("%s: %s, want text %q", tc.name, tgt(tg), want)
		}
	}
}

// TestInspectJS inspects the JavaScript changes of the operations fixture
// (testdata/gen_ops_fixture.mjs), applied in order on the Go snapshot and
// the Go client's changes.
func TestInspectJS(t *testing.T) {
	server, err := Load(readTestdata(t, "ops_base.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.ApplyChanges(readTestdata(t, "ops_go_changes.bin")); err != nil {
		t.Fatal(err)
	}
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	js, gc, srv := fixtureJSActor[:4], fixtureGoActor[:4], fixtureServerActor[:4]
	// New wrote the sections with a random actor, before SetActor.
	creator := func(section string) string {
		for _, info := range ix.objs {
			if info.depth == 1 && info.Section == section {
				return info.Creator[:4]
			}
		}
		t.Fatalf("no section %s", section)
		return ""
	}
	want := map[string][]string{
		"stroke-text": {
			"board/js-pen/ makeMap creates",
			"board/js-pen/author makeText by " + js + ` = "u-js"`,
			"board/js-pen/color makeText by " + js + ` = "#ff0000"`,
			"board/js-pen/created set by " + js + " = 1700000000123",
			"board/js-pen/id makeText by " + js + ` = "js-pen"`,
			"board/js-pen/points makeList by " + js,
			"board/js-pen/tool makeText by " + js + ` = "pen"`,
			"board/js-pen/width set by " + js + " = 3",
			"board/js-pen/author set nested by " + js + ` = "u"`,
			"board/js-pen/author set nested by " + js + ` = "-"`,
			"board/js-pen/author set nested by " + js + ` = "j"`,
			"board/js-pen/author set nested by " + js + ` = "s"`,
			"board/js-pen/...", // the other texts' characters, the points
		},
		"append-points": {"board/js-pen/points set nested by " + js + " = 50", "board/js-pen/points set nested by " + js + " = 60.25f"},
		"append-other":  {"board/go-pen/points set nested by " + srv + " = 7", "board/go-pen/points set nested by " + srv + " = 8"},
		"stroke-immutable": {
			"board/js-imm/ makeMap creates",
			"board/js-imm/author set by " + js + ` = "u-js"`,
			"board/js-imm/color set by " + js + ` = "#00ff00"`,
			"board/js-imm/created set by " + js + " = 1700000000789",
			"board/js-imm/id set by " + js + ` = "js-imm"`,
			"board/js-imm/points makeList by " + js,
			"board/js-imm/text makeText by " + js + ` = "hi ✏️"`,
			"board/js-imm/tool set by " + js + ` = "text"`,
			"board/js-imm/width set by " + js + " = 1.5f",
			"board/js-imm/text set nested by " + js + "...",
		},
		"hands-other":  {"hands/u2/ set creates = 1700000000100", "hands/u1/ set by " + gc + " = 1700000000101"},
		"hand-own":     {"hands/u-js/ set creates = 1700000000102"},
		"hand-lower":   {"hands/u-js/ del deletes by " + js},
		"presence-own": {"presence/u-js/ makeMap creates", "presence/u-js/joined_at set by " + js + " = 1700000000001", "presence/u-js/name makeText by " + js + ` = "Jo Script"`, "presence/u-js/role makeText by " + js + ` = "student"`, "presence/u-js/status makeText by " + js + ` = "online"`, "presence/u-js/..."},
		"edit-text":    {"board/js-pen/author set nested by " + js + ` = "X"`, "board/js-pen/author del nested by " + js},
		"values": {
			"board/js-imm/c set by " + js + " = counter(3)",
			"board/js-imm/ts set by " + js + " = timestamp(1700000000999)",
			"board/js-imm/b set by " + js + " = bytes(0102ff)",
			"board/js-imm/n set by " + js,
			"board/js-imm/yes set by " + js + " = true",
			"board/js-imm/no set by " + js + " = false",
			"board/js-imm/u set by " + js + " = 7u",
			"board/js-imm/i set by " + js + " = -7",
			"board/js-imm/f set by " + js + " = 4f",
		},
		"increment":      {"board/js-imm/c inc by " + js + " = 2", "board/js-imm/yes del by " + js},
		"marks":          {"board/js-imm/text mark nested by " + js + " = true", "board/js-imm/text mark nested by " + js, "board/js-imm/text mark nested by " + js + ` = "https://example.com"`, "board/js-imm/text mark nested by " + js},
		"delete-points":  {"board/js-pen/points del nested by " + js + "..."},
		"presence-other": {"presence/t1/status set by " + srv + ` = "offline"`},
		"meta":           {"meta/session/ set by " + creator(keyMeta) + ` = "hijacked"`},
		"delete-stroke":  {"board/js-imm/ del deletes by " + js},
		"root-board":     {"/board/ makeMap root"},
	}
	f := readOpsFixture(t)
	chunks, err := ParseChunks(readTestdata(t, "ops_js_changes.bin"), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range chunks {
		label := f.JS[i].Label
		_, targets := inspectRaw(t, ix, c.Raw)
		w, ok := want[label]
		if !ok {
			t.Fatalf("no expectation for %s", label)
		}
		checkTargets(t, label, targets, w...)
		applyAndIndex(t, server, ix, c.Raw)
	}
	fresh, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	compareIndexes(t, ix, fresh)
}

// TestInspectTextUnresolved: a text the change fills with anything but
// strings, or whose inserts point elsewhere, has no value.
func TestInspectTextUnresolved(t *testing.T) {
	text := OpID{1, "aa"}
	elem := func(ctr uint64, after OpID, v Value) Op {
		return Op{ID: OpID{ctr, "aa"}, Obj: ObjID(text), ElemKey: true, Elem: after, Insert: true, Action: ActionSet, Value: v}
	}
	for name, ops := range map[string][]Op{
		"number":         {elem(2, OpID{}, str("a")), elem(3, OpID{2, "aa"}, i64(1))},
		"foreign elem":   {elem(2, OpID{9, "bb"}, str("a"))},
		"nested object":  {{ID: OpID{2, "aa"}, Obj: ObjID(text), ElemKey: true, Insert: true, Action: ActionMakeMap}},
		"increment char": {elem(2, OpID{}, str("a")), {ID: OpID{3, "aa"}, Obj: ObjID(text), ElemKey: true, Elem: OpID{2, "aa"}, Action: ActionIncrement, Value: i64(1)}},
	} {
		ops = append([]Op{{ID: text, Obj: RootObj, Key: "t", Action: ActionMakeText}}, ops...)
		targets, err := Inspect(nil, ops)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if targets[0].Value.Kind != ValueNull {
			t.Errorf("%s: text value %v", name, targets[0].Value)
		}
	}
}
