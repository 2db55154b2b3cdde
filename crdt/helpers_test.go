package crdt

import (
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
)

// newServer returns a fresh server document.
func newServer(t testing.TB) *Doc {
	t.Helper()
	d, err := New("session-1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}

// replica loads a client replica from the server's snapshot, as clients do.
func replica(t testing.TB, server *Doc) *Doc {
	t.Helper()
	d, err := Load(server.Save())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func stroke(id, author string, pts ...float64) Stroke {
	return Stroke{ID: id, Author: author, Tool: ToolPen, Color: "#112233", Width: 2.5, Points: pts, Created: 1700000000000}
}

func mustCommit(t testing.TB, d *Doc, msg string) Applied {
	t.Helper()
	a, err := d.Commit(msg)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return a
}

func mustJSON(t testing.TB, d *Doc) string {
	t.Helper()
	b, err := d.JSON()
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return string(b)
}

// syncDocs sends each side what the other lacks, the way the gateway does.
func syncDocs(t testing.TB, a, b *Doc) {
	t.Helper()
	aHeads, bHeads := a.Heads(), b.Heads()
	toB, err := a.ChangesSince(knownHeads(a, bHeads))
	if err != nil {
		t.Fatalf("ChangesSince: %v", err)
	}
	toA, err := b.ChangesSince(knownHeads(b, aHeads))
	if err != nil {
		t.Fatalf("ChangesSince: %v", err)
	}
	if _, err := b.ApplyChanges(toB); err != nil {
		t.Fatalf("ApplyChanges a→b: %v", err)
	}
	if _, err := a.ApplyChanges(toA); err != nil {
		t.Fatalf("ApplyChanges b→a: %v", err)
	}
}

// knownHeads keeps the heads d knows; heads d lacks are what it must
// receive, not send.
func knownHeads(d *Doc, heads []Hash) []Hash {
	var out []Hash
	for _, h := range heads {
		if d.HasAll([]Hash{h}) {
			out = append(out, h)
		}
	}
	return out
}

// frame wraps body in a chunk header with a correct checksum.
func frame(t ChunkType, body []byte) []byte {
	hashType := t
	if t == ChunkCompressed {
		panic("use compress")
	}
	h := chunkHash(hashType, body)
	out := append([]byte{}, magic[:]...)
	out = append(out, h[:4]...)
	out = append(out, byte(t))
	out = binary.AppendUvarint(out, uint64(len(body)))
	return append(out, body...)
}

// splitChunk returns the body of a single uncompressed chunk.
func splitChunk(raw []byte) []byte {
	_, n := binary.Uvarint(raw[9:])
	return raw[9+n:]
}

// compress turns an uncompressed change chunk into a compressed (type 2)
// one, as automerge-rs does: raw DEFLATE of the body, checksum of the
// uncompressed chunk.
func compress(raw []byte) []byte {
	return compressBody(splitChunk(raw), raw[4:8])
}

func flateWriter(w io.Writer) (*flate.Writer, error) {
	return flate.NewWriter(w, flate.BestCompression)
}

func appendUvarint(b []byte, v uint64) []byte {
	return binary.AppendUvarint(b, v)
}

func hashesEqual(a, b []Hash) bool {
	return fmt.Sprint(sorted(a)) == fmt.Sprint(sorted(b))
}

func sorted(hs []Hash) []string {
	ss := HashStrings(hs)
	for i := range ss {
		for j := i + 1; j < len(ss); j++ {
			if ss[j] < ss[i] {
				ss[i], ss[j] = ss[j], ss[i]
			}
		}
	}
	return ss
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func nan() float64 { return math.NaN() }
