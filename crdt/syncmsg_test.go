package crdt

import (
	"bytes"
	"errors"
	"testing"

	"github.com/automerge/automerge-go"
)

// realSyncMessage returns a sync message that carries a stroke change.
func realSyncMessage(t testing.TB) []byte {
	t.Helper()
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
	ss := automerge.NewSyncState(d.Automerge())
	peer := automerge.NewSyncState(automerge.New())
	m, _ := ss.GenerateMessage()
	if _, err := peer.ReceiveMessage(m.Bytes()); err != nil {
		t.Fatal(err)
	}
	reply, _ := peer.GenerateMessage()
	if _, err := ss.ReceiveMessage(reply.Bytes()); err != nil {
		t.Fatal(err)
	}
	withChanges, ok := ss.GenerateMessage()
	if !ok {
		t.Fatal("no second sync message")
	}
	return withChanges.Bytes()
}

func TestParseSyncMessage(t *testing.T) {
	msg := realSyncMessage(t)
	changes, err := ParseSyncMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	if n := CountChunks(changes); n != 2 {
		t.Fatalf("carried %d changes, want the 2 of the document", n)
	}
	for _, bad := range [][]byte{nil, {0x43}, msg[:len(msg)/2], append([]byte{0x42}, bytes.Repeat([]byte{0xff}, 12)...)} {
		if _, err := ParseSyncMessage(bad); !errors.Is(err, ErrBadSyncMessage) {
			t.Errorf("ParseSyncMessage(%x) = %v", bad, err)
		}
	}
}

func FuzzParseSyncMessage(f *testing.F) {
	f.Add(realSyncMessage(f))
	f.Add([]byte{0x42, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, msg []byte) {
		changes, err := ParseSyncMessage(msg)
		if err != nil {
			return
		}
		if len(changes) > len(msg) {
			t.Fatalf("carried %d bytes of changes in a %d-byte message", len(changes), len(msg))
		}
		if _, err := ParseChunks(changes, 0); err != nil {
			t.Fatalf("accepted changes that do not parse: %v", err)
		}
	})
}
