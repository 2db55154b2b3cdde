package crdt

import (
	"encoding/binary"
	"errors"
	"strconv"
	"testing"
	"time"
)

func sleb(v int64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// rootSets builds a change of n "set root[key] = null" ops without preds,
// the keys cycling through nkeys names: with nkeys 1, n concurrent values
// on one key.
func rootSets(heads []Hash, n, nkeys int) []byte {
	keys := sleb(-int64(n))
	for i := 0; i < n; i++ {
		k := "k" + strconv.Itoa(i%nkeys)
		keys = append(binary.AppendUvarint(keys, uint64(len(k))), k...)
	}
	if nkeys == 1 {
		keys = append(sleb(int64(n)), 2, 'k', '0')
	}
	cols := []struct {
		spec uint64
		data []byte
	}{
		{1<<4 | 5, keys},
		{3<<4 | 4, binary.AppendUvarint(nil, uint64(n))}, // insert: all false
		{actionColumn, append(sleb(int64(n)), 1)},        // set
		{5<<4 | 6, append(sleb(int64(n)), 0)},            // value: null
		{7 << 4, append(sleb(int64(n)), 0)},              // no preds (pred group, type 0)
	}
	body := binary.AppendUvarint(nil, uint64(len(heads)))
	for _, h := range heads {
		body = append(body, h[:]...)
	}
	body = append(body, 1, 0x77, 1, 1, 0, 0, 0, byte(len(cols)))
	var data []byte
	for _, c := range cols {
		body = binary.AppendUvarint(binary.AppendUvarint(body, c.spec), uint64(len(c.data)))
		data = append(data, c.data...)
	}
	return frame(ChunkChange, append(body, data...))
}

func TestOpBombs(t *testing.T) {
	server := newServer(t)
	heads := server.Heads()
	cases := []struct {
		name     string
		n, nkeys int
		want     error
	}{
		{"one key, 100k writes", 100_000, 1, ErrTooLarge},
		{"one key, 10k writes", 10_000, 1, ErrTooLarge},
		{"one key, 257 writes", maxKeyWrites + 1, 1, ErrTooLarge},
		{"256 writes on each of 64 keys", MaxChangeOps, MaxChangeOps / maxKeyWrites, nil},
		{"distinct keys", MaxChangeOps, MaxChangeOps, nil},
		{"too many ops", MaxChangeOps + 1, MaxChangeOps, ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := replica(t, server)
			start := time.Now()
			a, err := d.ApplyChanges(rootSets(heads, tc.n, tc.nkeys))
			if !errors.Is(err, tc.want) || (tc.want == nil && a.Count != 1) {
				t.Fatalf("err = %v, applied %d", err, a.Count)
			}
			t.Logf("%d ops: %v", tc.n, time.Since(start))
		})
	}
}

func TestCheckWritesLegit(t *testing.T) {
	d := newServer(t)
	pts := make([]float64, 2*MaxChangeOps/3)
	if err := d.AddStroke(stroke("long", "u", pts...)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if err := d.RaiseHand("u"+strconv.Itoa(i), int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	a := mustCommit(t, d, "big but honest")
	chunks, err := ParseChunks(a.Chunks, 0)
	if err != nil {
		t.Fatal(err)
	}
	if chunks[0].Ops < 1000+uint64(len(pts)) {
		t.Fatalf("ops = %d", chunks[0].Ops)
	}
}
