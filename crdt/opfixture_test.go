package crdt

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// The operations fixture (testdata/gen_ops_fixture.mjs) holds changes
// written by automerge-go and by JavaScript Automerge 3.5 on top of one Go
// snapshot, and JavaScript's own decoding of every one of them
// (Automerge.decodeChange), which DecodeOps must match.
//
// To regenerate (from the repository root):
//
//	go test ./crdt/ -run TestOpsFixture -update-ops-base   # ops_base.bin, ops_go_changes.bin
//	(cd DIR_WITH_NODE_MODULES && node $OLDPWD/crdt/testdata/gen_ops_fixture.mjs)
//	go test ./crdt/ -run 'TestOpsFixture|TestInspectJS'
//
// DIR_WITH_NODE_MODULES is any directory where `npm install
// @automerge/automerge@3.5` has been run.
var updateOpsBase = flag.Bool("update-ops-base", false, "rewrite testdata/ops_base.bin and ops_go_changes.bin; then rerun testdata/gen_ops_fixture.mjs")

// Fixed actors keep the fixture's bytes stable across regenerations.
const (
	fixtureServerActor = "5e000000000000000000000000000001"
	fixtureGoActor     = "60000000000000000000000000000002"
	fixtureJSActor     = "4a530000000000000000000000000003" // gen_ops_fixture.mjs
)

// opsFixture is testdata/ops_fixture.json.
type opsFixture struct {
	// Go decodes ops_go_changes.bin, one entry per change.
	Go []jsChange `json:"go"`
	// JS describes ops_js_changes.bin, one entry per change.
	JS []jsChange `json:"js"`
}

// jsChange is one change as Automerge.decodeChange returns it, with the
// generator's label.
type jsChange struct {
	Label   string           `json:"label"`
	Actor   string           `json:"actor"`
	Seq     uint64           `json:"seq"`
	StartOp uint64           `json:"startOp"`
	Hash    string           `json:"hash"`
	Ops     []map[string]any `json:"ops"`
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readOpsFixture(t testing.TB) opsFixture {
	t.Helper()
	var f opsFixture
	if err := json.Unmarshal(readTestdata(t, "ops_fixture.json"), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// writeOpsBase writes the server snapshot and the Go client's changes the
// JavaScript generator builds on.
func writeOpsBase(t *testing.T) {
	server, err := New("ops-fixture")
	if err != nil {
		t.Fatal(err)
	}
	if err := server.SetActor(fixtureServerActor); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ id, role string }{{"t1", RoleTeacher}, {"u1", RoleStudent}, {"u2", RoleStudent}} {
		if err := server.SetPresence(u.id, Presence{Name: u.id, Role: u.role, JoinedAt: 1700000000000, Status: StatusOnline}); err != nil {
			t.Fatal(err)
		}
	}
	if err := server.AddStroke(Stroke{ID: "go-pen", Author: "t1", Tool: ToolPen, Color: "#000000", Width: 2, Points: []float64{1, 2, 3.5, 4}, Created: 1700000000003}); err != nil {
		t.Fatal(err)
	}
	if err := server.RaiseHand("u2", 1700000000004); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "go: base")
	base := server.Save()

	client, err := Load(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SetActor(fixtureGoActor); err != nil {
		t.Fatal(err)
	}
	var changes []byte
	commit := func(edit func() error) {
		t.Helper()
		if err := edit(); err != nil {
			t.Fatal(err)
		}
		changes = append(changes, mustCommit(t, client, "").Chunks...)
	}
	commit(func() error { return client.AddStroke(benchStroke("go-s1")) })
	commit(func() error {
		if err := client.AppendPoints("go-s1", 100, 101.5); err != nil {
			return err
		}
		return client.RaiseHand("u1", 1700000000005)
	})
	commit(func() error {
		if err := client.SetPresence("u3", Presence{Name: "Third", Role: RoleObserver, JoinedAt: 1700000000006, Status: StatusOnline}); err != nil {
			return err
		}
		return client.SetPresenceStatus("u1", StatusOffline, 1700000000007)
	})
	commit(func() error {
		if err := client.DeleteStroke("go-s1"); err != nil {
			return err
		}
		return client.LowerHand("u2")
	})
	for name, b := range map[string][]byte{"ops_base.bin": base, "ops_go_changes.bin": changes} {
		if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpsFixture decodes every fixture change, from Go and from
// JavaScript, and compares the operations with JavaScript's decoding.
func TestOpsFixture(t *testing.T) {
	if *updateOpsBase {
		writeOpsBase(t)
		t.Skip("wrote testdata/ops_base.bin and ops_go_changes.bin; now run testdata/gen_ops_fixture.mjs")
	}
	f := readOpsFixture(t)
	for _, set := range []struct {
		file string
		want []jsChange
	}{{"ops_go_changes.bin", f.Go}, {"ops_js_changes.bin", f.JS}} {
		chunks, err := ParseChunks(readTestdata(t, set.file), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(chunks) != len(set.want) {
			t.Fatalf("%s: %d changes, fixture describes %d", set.file, len(chunks), len(set.want))
		}
		for i, c := range chunks {
			want := set.want[i]
			ops, err := DecodeOps(c)
			if err != nil {
				t.Fatalf("%s change %d (%s): %v", set.file, i, want.Label, err)
			}
			if c.Hash.String() != want.Hash || c.ActorHex != want.Actor || c.StartOp != want.StartOp {
				t.Fatalf("%s change %d: header %s %s %d, JS says %s %s %d", set.file, i, c.Hash, c.ActorHex, c.StartOp, want.Hash, want.Actor, want.StartOp)
			}
			compareJSOps(t, set.file+" "+want.Label, ops, want.Ops)
			// A compressed copy decodes the same.
			z, err := ParseChunks(compress(c.Raw), 0)
			if err != nil {
				t.Fatal(err)
			}
			zops, err := DecodeOps(z[0])
			if err != nil {
				t.Fatal(err)
			}
			compareJSOps(t, set.file+" "+want.Label+" compressed", zops, want.Ops)
		}
	}
}

// compareJSOps compares decoded operations with JavaScript's decodeChange.
func compareJSOps(t *testing.T, what string, ops []Op, want []map[string]any) {
	t.Helper()
	if len(ops) != len(want) {
		t.Fatalf("%s: %d ops, JS decodes %d", what, len(ops), len(want))
	}
	for i, op := range ops {
		got := jsonRoundTrip(t, jsOp(op))
		w := jsonRoundTrip(t, want[i])
		if !bytes.Equal(got, w) {
			t.Fatalf("%s: op %d (%v)\ngot  %s\nwant %s", what, i, op, got, w)
		}
	}
}

func jsonRoundTrip(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m) // sorted keys, normalized numbers
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsOp writes an Op the way Automerge.decodeChange (JavaScript 3.5) does.
func jsOp(op Op) map[string]any {
	m := map[string]any{"obj": op.Obj.String(), "pred": []string{}}
	preds := make([]string, len(op.Pred))
	for i, p := range op.Pred {
		preds[i] = p.String()
	}
	m["pred"] = preds
	if op.ElemKey {
		m["elemId"] = op.Elem.String()
	} else {
		m["key"] = op.Key
	}
	if op.Insert {
		m["insert"] = true
	}
	action := op.Action.String()
	switch op.Action {
	case ActionSet, ActionIncrement:
		jsValue(m, op.Value, op.Action == ActionSet)
	case ActionMark:
		action = "markEnd"
		if op.MarkName != "" {
			action = "markBegin"
			m["name"] = op.MarkName
			jsValue(m, op.Value, false)
		}
		m["expand"] = op.Expand
	}
	m["action"] = action
	return m
}

func jsValue(m map[string]any, v Value, datatype bool) {
	switch v.Kind {
	case ValueNull:
		m["value"] = nil
	case ValueFalse, ValueTrue:
		m["value"] = v.Bool
	case ValueStr:
		m["value"] = v.Str
	case ValueBytes:
		n := make([]int, len(v.Bytes))
		for i, b := range v.Bytes {
			n[i] = int(b)
		}
		m["value"] = n
	case ValueInt, ValueCounter, ValueTimestamp:
		m["value"] = v.Int
	case ValueUint:
		m["value"] = v.Uint
	case ValueF64:
		m["value"] = v.F64
	}
	if datatype {
		switch v.Kind {
		case ValueInt, ValueUint, ValueF64, ValueCounter, ValueTimestamp:
			m["datatype"] = v.Kind.String()
		}
	}
}
