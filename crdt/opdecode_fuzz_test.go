package crdt

import (
	"errors"
	"testing"
)

// FuzzDecodeOps feeds DecodeOps and Inspect whatever ParseChunks accepts,
// and DecodeOps alone arbitrary change bodies. The input is used three
// ways: as raw chunks; as a change body framed with a valid checksum, so
// mutated contents get past the checksum; and as a body DecodeOps reads
// without ParseChunks' header checks. Seeds are real changes from Go
// (fuzzSeeds) and from JavaScript (the two fixtures).
func FuzzDecodeOps(f *testing.F) {
	snapshot, changes := fuzzSeeds(f)
	for _, name := range []string{"ops_go_changes.bin", "ops_js_changes.bin", "js_changes.bin"} {
		chunks, err := ParseChunks(readTestdata(f, name), 0)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range chunks {
			changes = append(changes, c.Raw)
		}
	}
	for _, c := range changes {
		f.Add(c)
		if c[8] == byte(ChunkChange) {
			f.Add(splitChunk(c))
		}
	}
	d, err := Load(snapshot)
	if err != nil {
		f.Fatal(err)
	}
	ix, err := BuildIndex(d)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, frame(ChunkChange, b)} {
			chunks, err := ParseChunks(in, 1<<20)
			if err != nil {
				continue
			}
			for _, c := range chunks {
				ops, err := DecodeOps(c)
				checkDecoded(t, c, ops, err)
				if err != nil {
					continue
				}
				targets, err := Inspect(ix, ops)
				switch {
				case err != nil && !errors.Is(err, ErrUnknownObject) && !errors.Is(err, ErrMalformed):
					t.Fatalf("Inspect: untyped error %v", err)
				case err == nil && len(targets) != len(ops):
					t.Fatalf("%d targets for %d ops", len(targets), len(ops))
				}
			}
		}
		ops, err := decodeOps(Chunk{Type: ChunkChange, body: b}, MaxChangeOps)
		if err != nil && !knownDecodeError(err) {
			t.Fatalf("body: untyped error %v", err)
		}
		if err == nil {
			if _, err := Inspect(ix, ops); err != nil && !errors.Is(err, ErrUnknownObject) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("Inspect: untyped error %v", err)
			}
		}
	})
}

// checkDecoded checks what DecodeOps returned for a chunk that passed
// ParseChunks.
func checkDecoded(t *testing.T, c Chunk, ops []Op, err error) {
	t.Helper()
	if c.Type == ChunkDocument {
		if !errors.Is(err, ErrChunkType) {
			t.Fatalf("document: %v", err)
		}
		return
	}
	if err != nil {
		if ops != nil || !knownDecodeError(err) {
			t.Fatalf("ops %d with error %v", len(ops), err)
		}
		return
	}
	if uint64(len(ops)) != c.Ops {
		t.Fatalf("decoded %d ops, header says %d", len(ops), c.Ops)
	}
	preds := 0
	for i, op := range ops {
		if op.ID != (OpID{c.StartOp + uint64(i), c.ActorHex}) {
			t.Fatalf("op %d: id %s", i, op.ID)
		}
		if op.Action > ActionMark || op.Value.Kind > ValueUnknown {
			t.Fatalf("op %d: %v", i, op)
		}
		preds += len(op.Pred)
	}
	if preds > maxPredsPerOp*max(len(ops), MaxChangeOps) {
		t.Fatalf("%d preds for %d ops", preds, len(ops))
	}
}

func knownDecodeError(err error) bool {
	for _, e := range []error{ErrMalformed, ErrTruncated, ErrTooLarge} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
