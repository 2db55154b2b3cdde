package gameday

import (
	"bufio"
	"bytes"
	"slices"
	"testing"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// bigChange returns the chunk of one change far larger than a bufio
// buffer, so that streaming through it takes several reads.
func bigChange(t *testing.T) []byte {
	t.Helper()
	d, err := crdt.New("frames-test")
	if err != nil {
		t.Fatal(err)
	}
	pts := make([]float64, 4000)
	for i := range pts {
		pts[i] = float64(i) * 1.37
	}
	if err := d.AddStroke(crdt.Stroke{ID: "big", Tool: crdt.ToolPen, Color: "#000000", Width: 1, Points: pts}); err != nil {
		t.Fatal(err)
	}
	a, err := d.Commit("")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Chunks) < 8192 {
		t.Fatalf("big change is only %d bytes", len(a.Chunks))
	}
	return a.Chunks
}

func TestChangeSumsStreams(t *testing.T) {
	small, _ := commitStrokes(t, 3)
	chunks := append(slices.Clone(small), bigChange(t)...)
	var want []uint32
	for rest := chunks; len(rest) > 0; {
		sum, next, err := nextChecksum(rest)
		if err != nil {
			t.Fatal(err)
		}
		want, rest = append(want, sum), next
	}
	f, _, err := wire.Next(wire.AppendChanges(nil, 300, chunks))
	if err != nil {
		t.Fatal(err)
	}
	// A frame followed by another, as in a coalesced message.
	stream := append(slices.Clone(f.Payload), 0xAA, 0xBB)
	fr := &frameReader{br: bufio.NewReaderSize(bytes.NewReader(stream), 16)}
	got, err := fr.changeSums(len(f.Payload), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("changeSums = %x, want %x", got, want)
	}
	if b, err := fr.br.ReadByte(); err != nil || b != 0xAA {
		t.Errorf("next byte after the frame = %x, %v; the walk over- or under-read", b, err)
	}
}

func TestChangeSumsMalformed(t *testing.T) {
	small, _ := commitStrokes(t, 1)
	for name, payload := range map[string][]byte{
		"bad magic":      append([]byte{0}, append([]byte{1, 2, 3, 4}, small[4:]...)...),
		"cut short":      append([]byte{0}, small[:len(small)-3]...),
		"short header":   {0, 0x85, 0x6f},
		"length too big": {0, 0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 0x7f},
	} {
		fr := &frameReader{br: bufio.NewReader(bytes.NewReader(payload))}
		if _, err := fr.changeSums(len(payload), nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDiscard(t *testing.T) {
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(i)
	}
	fr := &frameReader{br: bufio.NewReaderSize(bytes.NewReader(data), 4096)}
	for _, n := range []int{10, 5000, 150_000} {
		if err := fr.discard(n); err != nil {
			t.Fatal(err)
		}
	}
	b, err := fr.br.ReadByte()
	if want := byte(155_010 % 256); err != nil || b != want {
		t.Errorf("after discards read %d, %v; want %d", b, err, want)
	}
	if err := fr.discard(len(data)); err == nil {
		t.Error("discarding past the end succeeded")
	}
}
