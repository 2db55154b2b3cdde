package crdt

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// clientChange makes a replica of server, commits one stroke on it and
// returns the change chunk.
func clientChange(t testing.TB, client *Doc, id string) Applied {
	t.Helper()
	if err := client.AddStroke(stroke(id, "u1", 1, 2)); err != nil {
		t.Fatal(err)
	}
	return mustCommit(t, client, "client")
}

// snapshot captures what must not change when ApplyChanges fails.
func snapshot(t testing.TB, d *Doc) string {
	t.Helper()
	return mustJSON(t, d) + " " + HashStrings(d.Heads())[0]
}

func TestApplyChanges(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	c1 := clientChange(t, client, "a")
	if c1.Count != 1 || len(c1.Hashes) != 1 || len(c1.Chunks) == 0 {
		t.Fatalf("commit = %+v", c1)
	}
	a, err := server.ApplyChanges(c1.Chunks)
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 1 || a.Hashes[0] != c1.Hashes[0] || !bytes.Equal(a.Chunks, c1.Chunks) {
		t.Fatalf("applied = %+v", a)
	}
	if &a.Chunks[0] == &c1.Chunks[0] {
		t.Fatal("Applied.Chunks aliases the input")
	}
	if !hashesEqual(server.Heads(), client.Heads()) {
		t.Fatal("heads differ after apply")
	}
}

func TestApplyChangesDuplicates(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	c1 := clientChange(t, client, "a")
	c2 := clientChange(t, client, "b")
	if _, err := server.ApplyChanges(c1.Chunks); err != nil {
		t.Fatal(err)
	}
	// Again: nothing new, no error.
	a, err := server.ApplyChanges(c1.Chunks)
	if err != nil || a.Count != 0 || a.Chunks != nil {
		t.Fatalf("duplicate: %+v, %v", a, err)
	}
	// Old, new and repeated chunks in one batch: only the new one counts.
	batch := append(append(append([]byte{}, c1.Chunks...), c2.Chunks...), c2.Chunks...)
	a, err = server.ApplyChanges(batch)
	if err != nil || a.Count != 1 || a.Hashes[0] != c2.Hashes[0] || !bytes.Equal(a.Chunks, c2.Chunks) {
		t.Fatalf("mixed batch: %+v, %v", a, err)
	}
	// Whole history, including the server's own initial change.
	all, err := client.AllChanges()
	if err != nil {
		t.Fatal(err)
	}
	if a, err := server.ApplyChanges(all); err != nil || a.Count != 0 {
		t.Fatalf("all changes: %+v, %v", a, err)
	}
}

func TestApplyChangesMissingDeps(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	c1 := clientChange(t, client, "a")
	c2 := clientChange(t, client, "b")
	other := replica(t, server)
	c3 := clientChange(t, other, "c") // independent and applicable

	before := snapshot(t, server)
	// c2 without c1; c3 alone would apply, but the batch is all or nothing.
	batch := append(append([]byte{}, c3.Chunks...), c2.Chunks...)
	a, err := server.ApplyChanges(batch)
	if !errors.Is(err, ErrMissingDeps) || a.Count != 0 {
		t.Fatalf("missing deps: %+v, %v", a, err)
	}
	if after := snapshot(t, server); after != before {
		t.Fatalf("doc changed:\n%s\n%s", before, after)
	}
	// Order within a batch does not matter: dependencies are applied
	// first, and everything applies.
	a, err = server.ApplyChanges(append(append(append([]byte{}, c2.Chunks...), c3.Chunks...), c1.Chunks...))
	if err != nil || a.Count != 3 {
		t.Fatalf("unordered batch: %+v, %v", a, err)
	}
}

func TestApplyChangesRejectsBadBytes(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	good := clientChange(t, client, "a").Chunks
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x10
		return b
	}
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"garbage", []byte("GET / HTTP/1.1\r\n"), ErrBadMagic},
		{"truncated", good[:len(good)-3], ErrTruncated},
		{"bad checksum", flip(4), ErrBadChecksum},
		{"corrupt body", flip(len(good) / 2), ErrBadChecksum},
		{"wrong type", retype(good, 9), ErrChunkType},
		{"document chunk", server.Save(), ErrChunkType},
		{"trailing bytes", append(bytes.Clone(good), 0, 0, 0), ErrBadMagic},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, server)
			a, err := server.ApplyChanges(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if a.Count != 0 || a.Chunks != nil {
				t.Fatalf("applied = %+v", a)
			}
			if after := snapshot(t, server); after != before {
				t.Fatalf("doc changed")
			}
		})
	}
}

func TestApplyChangesCompressed(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	c := clientChange(t, client, "zipped")
	z := compress(c.Chunks)
	a, err := server.ApplyChanges(z)
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 1 || a.Hashes[0] != c.Hashes[0] || !bytes.Equal(a.Chunks, z) {
		t.Fatalf("applied = %+v", a)
	}
	if mustJSON(t, server) != mustJSON(t, client) {
		t.Fatal("states differ")
	}
	// The uncompressed form is now a duplicate.
	if a, err := server.ApplyChanges(c.Chunks); err != nil || a.Count != 0 {
		t.Fatalf("uncompressed duplicate: %+v, %v", a, err)
	}
}

// TestApplyChangesRejected covers a change that passes every Go check but
// that automerge refuses: a second change with an already used seq number
// from the same actor.
func TestApplyChangesRejected(t *testing.T) {
	server := newServer(t)
	a1, a2 := replica(t, server), replica(t, server)
	const actor = "0123456789abcdef0123456789abcdef"
	for _, d := range []*Doc{a1, a2} {
		if err := d.SetActor(actor); err != nil {
			t.Fatal(err)
		}
	}
	c1 := clientChange(t, a1, "one")
	c2 := clientChange(t, a2, "two") // same actor, same seq, other content
	if _, err := server.ApplyChanges(c1.Chunks); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, server)
	a, err := server.ApplyChanges(c2.Chunks)
	t.Logf("forked actor: %+v, %v", a.Hashes, err)
	if err == nil {
		t.Skip("automerge accepted a reused seq number")
	}
	if !errors.Is(err, ErrRejected) || a.Count != 0 {
		t.Fatalf("err = %v, applied %+v", err, a)
	}
	if after := snapshot(t, server); after != before {
		t.Fatalf("doc changed")
	}
}

func TestChangesSince(t *testing.T) {
	server := newServer(t)
	client := replica(t, server)
	base := client.Heads()
	c1 := clientChange(t, client, "a")
	c2 := clientChange(t, client, "b")
	got, err := client.ChangesSince(base)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(append([]byte{}, c1.Chunks...), c2.Chunks...); !bytes.Equal(got, want) {
		t.Fatalf("ChangesSince(base) returned %d bytes, want %d", len(got), len(want))
	}
	if got, err := client.ChangesSince(client.Heads()); err != nil || len(got) != 0 {
		t.Fatalf("ChangesSince(heads) = %d bytes, %v", len(got), err)
	}
	unknown := Hash{1, 2, 3}
	if _, err := client.ChangesSince([]Hash{unknown}); !errors.Is(err, ErrUnknownHeads) {
		t.Fatalf("unknown head: %v", err)
	}
	if client.HasAll([]Hash{c1.Hashes[0], unknown}) || !client.HasAll(append(base, c2.Hashes...)) || !client.HasAll(nil) {
		t.Fatal("HasAll wrong")
	}
}

func TestApplyChangesInAnyOrder(t *testing.T) {
	src, err := New("s")
	if err != nil {
		t.Fatal(err)
	}
	dst, err := Load(src.Save())
	if err != nil {
		t.Fatal(err)
	}
	var chunks [][]byte
	for _, id := range []string{"a", "b", "c"} {
		if err := src.AddStroke(Stroke{ID: id, Author: "u", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}}); err != nil {
			t.Fatal(err)
		}
		a, err := src.Commit("")
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, a.Chunks)
	}
	reversed := append(append(append([]byte{}, chunks[2]...), chunks[1]...), chunks[0]...)
	a, err := dst.ApplyChanges(reversed)
	if err != nil || a.Count != 3 {
		t.Fatalf("reversed batch: %d applied, %v", a.Count, err)
	}
	if fmt.Sprint(dst.Heads()) != fmt.Sprint(src.Heads()) {
		t.Fatal("heads differ after a reversed batch")
	}
}
