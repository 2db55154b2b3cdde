package gameday

import (
	"encoding/binary"
	"testing"

	"github.com/homeroom-edu/homeroom/crdt"
)

// commitStrokes returns the chunks and hashes of n one-stroke changes.
func commitStrokes(t testing.TB, n int) ([]byte, []crdt.Hash) {
	t.Helper()
	d, err := crdt.New("chunks-test")
	if err != nil {
		t.Fatal(err)
	}
	var chunks []byte
	var hashes []crdt.Hash
	for i := range n {
		pts := make([]float64, 32)
		for j := range pts {
			pts[j] = float64(i*100 + j)
		}
		if err := d.AddStroke(crdt.Stroke{ID: string(rune('a' + i)), Tool: crdt.ToolPen, Color: "#000000", Width: 1, Points: pts}); err != nil {
			t.Fatal(err)
		}
		a, err := d.Commit("")
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, a.Chunks...)
		hashes = append(hashes, a.Hashes...)
	}
	return chunks, hashes
}

func TestNextChecksumMatchesHash(t *testing.T) {
	chunks, hashes := commitStrokes(t, 5)
	rest := chunks
	for i, h := range hashes {
		sum, next, err := nextChecksum(rest)
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		if want := binary.BigEndian.Uint32(h[:4]); sum != want {
			t.Errorf("chunk %d: checksum %08x, want hash[0:4] %08x", i, sum, want)
		}
		if got := checksumOf(rest[:len(rest)-len(next)]); got != sum {
			t.Errorf("chunk %d: checksumOf = %08x, want %08x", i, got, sum)
		}
		rest = next
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes left after the last chunk", len(rest))
	}
	// The walk agrees with the full parser on where chunks end.
	parsed, err := crdt.ParseChunks(chunks, 0)
	if err != nil || len(parsed) != len(hashes) {
		t.Fatalf("ParseChunks: %d chunks, %v", len(parsed), err)
	}
}

func TestNextChecksumMalformed(t *testing.T) {
	chunks, _ := commitStrokes(t, 1)
	bad := [][]byte{
		nil,
		{0x85, 0x6f, 0x4a},
		append([]byte{0, 0, 0, 0}, chunks[4:]...),              // bad magic
		chunks[:len(chunks)-1],                                 // body cut short
		{0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 0xff, 0xff},    // unterminated length
		{0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 0x80, 0x80, 1}, // length past the end
	}
	for i, b := range bad {
		if _, _, err := nextChecksum(b); err == nil {
			t.Errorf("input %d: no error", i)
		}
	}
}

func FuzzNextChecksum(f *testing.F) {
	f.Add([]byte{0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			_, rest, err := nextChecksum(b)
			if err != nil {
				return
			}
			if len(rest) >= len(b) {
				t.Fatalf("no progress: %d → %d bytes", len(b), len(rest))
			}
			b = rest
		}
	})
}
