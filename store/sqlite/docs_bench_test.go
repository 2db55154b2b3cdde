package sqlite

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAppendChanges is the steady write of a live session: about a
// second of board changes (here 30 changes of 200 bytes) in one row.
func BenchmarkAppendChanges(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	chunks := make([]byte, 30*200)
	b.ReportAllocs()
	b.SetBytes(int64(len(chunks)))
	for i := 0; b.Loop(); i++ {
		if err := s.AppendChanges(ctx, fmt.Sprint("ses-", i%50), chunks); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveDoc is a compaction: a 2,000-stroke board's saved document
// (about 300 KB) replacing the changes appended before it.
func BenchmarkSaveDoc(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	doc := make([]byte, 300<<10)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for i := 0; b.Loop(); i++ {
		if err := s.SaveDoc(ctx, fmt.Sprint("ses-", i%50), doc); err != nil {
			b.Fatal(err)
		}
	}
}
