package crdt

import (
	"encoding/binary"
	"errors"
	"testing"
)

// synthetic builds a change chunk with no ops (or with an action column of
// the given bytes) from header fields.
func synthetic(deps []Hash, actor []byte, seq, startOp uint64, action []byte) []byte {
	b := binary.AppendUvarint(nil, uint64(len(deps)))
	for _, d := range deps {
		b = append(b, d[:]...)
	}
	b = binary.AppendUvarint(b, uint64(len(actor)))
	b = append(b, actor...)
	b = binary.AppendUvarint(b, seq)
	b = binary.AppendUvarint(b, startOp)
	b = append(b, 0, 0, 0) // time 0, no message, no other actors
	if action == nil {
		b = append(b, 0) // no columns
	} else {
		b = append(b, 1, actionColumn)
		b = binary.AppendUvarint(b, uint64(len(action)))
		b = append(b, action...)
	}
	return frame(ChunkChange, b)
}

// TestApplyChangesOutOfOrder covers changes automerge accepts but that make
// the saved document unloadable (found by FuzzApplyChanges).
func TestApplyChangesOutOfOrder(t *testing.T) {
	server := newServer(t)
	heads := server.Heads()
	actor := []byte{0x30, 0x30}
	cases := []struct {
		name  string
		batch [][]byte
	}{
		{"seq gap", [][]byte{synthetic(nil, actor, 48, 48, nil)}},
		{"seq gap with deps", [][]byte{synthetic(heads, actor, 2, 10, nil)}},
		{"start op goes back", [][]byte{
			synthetic(heads, actor, 1, 10, nil), // no ops: max op 9
			synthetic(nil, actor, 2, 9, nil),
		}},
		{"repeated seq", [][]byte{
			synthetic(heads, actor, 1, 10, nil),
			synthetic(nil, actor, 1, 11, nil),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b []byte
			for _, c := range tc.batch {
				b = append(b, c...)
			}
			before := snapshot(t, server)
			a, err := server.ApplyChanges(b)
			if !errors.Is(err, ErrRejected) || a.Count != 0 {
				t.Fatalf("err = %v, applied %+v", err, a)
			}
			if after := snapshot(t, server); after != before {
				t.Fatal("doc changed")
			}
		})
	}
	// In order, the same kind of change is fine and the document reloads.
	first := synthetic(heads, actor, 1, 10, nil)
	chunks, err := ParseChunks(first, 0)
	if err != nil {
		t.Fatal(err)
	}
	second := synthetic([]Hash{chunks[0].Hash}, actor, 2, 10, nil)
	a, err := server.ApplyChanges(append(append([]byte{}, first...), second...))
	if err != nil || a.Count != 2 {
		t.Fatalf("ordered synthetic changes: %+v, %v", a.Hashes, err)
	}
	if _, err := Load(server.Save()); err != nil {
		t.Fatalf("reload: %v", err)
	}
}

// TestHistoryRebuild applies changes around the Doc (through the escape
// hatch); later changes from the same actor must still be accepted.
func TestHistoryRebuild(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	c0 := clientChange(t, client, "x")
	if _, err := server.ApplyChanges(c0.Chunks); err != nil { // builds history
		t.Fatal(err)
	}
	c1 := clientChange(t, client, "a")
	c2 := clientChange(t, client, "b")
	if err := server.Automerge().LoadIncremental(c1.Chunks); err != nil {
		t.Fatal(err)
	}
	a, err := server.ApplyChanges(c2.Chunks)
	if err != nil || a.Count != 1 {
		t.Fatalf("after escape hatch: %+v, %v", a, err)
	}
	// Own commits keep history current too.
	if err := server.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "")
	if !server.hist.built || server.historyStale() {
		t.Fatal("history stale after own commit")
	}
}

func TestChunkOps(t *testing.T) {
	d := newServer(t)
	if err := d.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	if err := d.LowerHand("u"); err != nil {
		t.Fatal(err)
	}
	a := mustCommit(t, d, "")
	chunks, err := ParseChunks(a.Chunks, 0)
	if err != nil {
		t.Fatal(err)
	}
	// New wrote 7 ops (4 maps, schema, session... see New): this change
	// starts after them and holds the put and the delete.
	if c := chunks[0]; c.Ops != 2 || c.StartOp != 7 || c.Seq != 2 {
		t.Fatalf("ops %d start %d seq %d", c.Ops, c.StartOp, c.Seq)
	}
	// A run claiming a million ops in three bytes.
	huge := synthetic(nil, []byte{1}, 1, 1, []byte{0x80, 0x80, 0xc0, 0x00, 1})
	if _, err := ParseChunks(huge, 0); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge run: %v", err)
	}
	nulls := synthetic(nil, []byte{1}, 1, 1, []byte{0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	if _, err := ParseChunks(nulls, 0); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge null run: %v", err)
	}
	literal := synthetic(nil, []byte{1}, 1, 1, []byte{0x7d, 1, 2, 3})
	if c, err := ParseChunks(literal, 0); err != nil || c[0].Ops != 3 {
		t.Fatalf("literal run: %v", err)
	}
	if _, err := ParseChunks(synthetic(nil, []byte{1}, 1, 1, []byte{0x7d, 1}), 0); !errors.Is(err, ErrTruncated) {
		t.Fatalf("short literal run: %v", err)
	}
}
