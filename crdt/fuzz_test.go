package crdt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds returns a snapshot and real change chunks that apply on top of
// it: strokes, points, hands, presence, a deletion, a compressed change, a
// change with no dependencies, and the JavaScript fixture.
func fuzzSeeds(f *testing.F) (snapshot []byte, changes [][]byte) {
	f.Helper()
	server := newServer(f)
	if err := server.SetPresence("t", Presence{Name: "T", Role: RoleTeacher, JoinedAt: 1, Status: StatusOnline}); err != nil {
		f.Fatal(err)
	}
	if err := server.AddStroke(stroke("s0", "t", 1, 2, 3, 4)); err != nil {
		f.Fatal(err)
	}
	mustCommit(f, server, "base")
	snapshot = server.Save()

	client := replica(f, server)
	add := func(a Applied) {
		chunks, err := ParseChunks(a.Chunks, 0)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range chunks {
			changes = append(changes, c.Raw)
		}
	}
	add(clientChange(f, client, "s1"))
	if err := client.AppendPoints("s0", 5, 6.5); err != nil {
		f.Fatal(err)
	}
	if err := client.RaiseHand("u1", 99); err != nil {
		f.Fatal(err)
	}
	add(mustCommit(f, client, "points and hand"))
	if err := client.DeleteStroke("s1"); err != nil {
		f.Fatal(err)
	}
	if err := client.SetPresenceStatus("t", StatusOffline, 5); err != nil {
		f.Fatal(err)
	}
	add(mustCommit(f, client, "delete"))
	changes = append(changes, compress(changes[0]))

	orphan, err := New("other")
	if err != nil {
		f.Fatal(err)
	}
	all, err := orphan.AllChanges()
	if err != nil {
		f.Fatal(err)
	}
	changes = append(changes, all)
	return snapshot, changes
}

func FuzzParseChunks(f *testing.F) {
	snapshot, changes := fuzzSeeds(f)
	f.Add(snapshot)
	for _, c := range changes {
		f.Add(c)
		f.Add(c[:len(c)/2])
	}
	f.Add(bytes.Join(changes, nil))
	if js, err := os.ReadFile(filepath.Join("testdata", "js_changes.bin")); err == nil {
		f.Add(js)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		chunks, err := ParseChunks(b, 1<<20)
		if err != nil {
			if chunks != nil {
				t.Fatal("chunks with error")
			}
			if !knownParseError(err) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		// The chunks tile the input exactly and reparse alone to the same
		// chunk.
		var joined []byte
		for _, c := range chunks {
			joined = append(joined, c.Raw...)
			again, err := ParseChunks(c.Raw, 1<<20)
			if err != nil || len(again) != 1 || again[0].Hash != c.Hash || again[0].Seq != c.Seq {
				t.Fatalf("chunk does not reparse: %v", err)
			}
		}
		if !bytes.Equal(joined, b) {
			t.Fatal("chunks do not cover the input")
		}
	})
}

// FuzzApplyChanges feeds automerge whatever passes ParseChunks. The input is
// used twice: as raw bytes, and as a change body framed with a valid
// checksum, so that mutated change contents get past the checksum and
// reach automerge.
func FuzzApplyChanges(f *testing.F) {
	snapshot, changes := fuzzSeeds(f)
	for _, c := range changes {
		f.Add(c)
		if c[8] == byte(ChunkChange) {
			f.Add(splitChunk(c))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, frame(ChunkChange, b)} {
			d, err := Load(snapshot)
			if err != nil {
				t.Fatal(err)
			}
			a, err := d.ApplyChanges(in)
			if err != nil && !knownApplyError(err) {
				t.Fatalf("untyped error: %v", err)
			}
			if err != nil && !errors.Is(err, ErrRejected) && a.Count != 0 {
				t.Fatalf("applied %d changes with error %v", a.Count, err)
			}
			// Whatever got in, the document must stay usable.
			if _, err := d.State(); err != nil {
				t.Fatalf("State: %v", err)
			}
			if err := d.RaiseHand("fuzz", 1); err != nil && !errors.Is(err, ErrSchema) {
				t.Fatalf("RaiseHand: %v", err)
			}
			if _, err := d.Commit("after fuzz"); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			// Save may not survive every accepted change (see Doc.Save);
			// SaveChecked must.
			saved, _, err := d.SaveChecked()
			if err != nil {
				t.Fatalf("SaveChecked: %v", err)
			}
			l, err := Load(saved)
			if err != nil {
				t.Fatalf("reload: %v", err)
			}
			if !hashesEqual(l.Heads(), d.Heads()) {
				t.Fatal("reloaded heads differ")
			}
		}
	})
}

func knownParseError(err error) bool {
	for _, e := range []error{ErrBadMagic, ErrBadChecksum, ErrTruncated, ErrTooLarge, ErrChunkType, ErrMalformed} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func knownApplyError(err error) bool {
	return knownParseError(err) || errors.Is(err, ErrMissingDeps) || errors.Is(err, ErrRejected)
}
