package postgres

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
)

func TestDocStore(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()

	if doc, err := s.LoadDoc(ctx, "ses-missing"); err != nil || doc != nil {
		t.Fatalf("LoadDoc(missing) = %v, %v; want nil, nil", doc, err)
	}
	for _, want := range [][]byte{[]byte("first version"), bytes.Repeat([]byte{0, 1, 0xff}, 100_000)} {
		if err := s.SaveDoc(ctx, "ses-1", want); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoadDoc(ctx, "ses-1")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("LoadDoc = %d bytes, %v; want the %d bytes saved", len(got), err, len(want))
		}
	}
	var size int
	if err := s.pool.QueryRow(ctx, `SELECT size FROM session_documents WHERE session_id = 'ses-1'`).Scan(&size); err != nil || size != 300_000 {
		t.Fatalf("size column = %d, %v; want 300000", size, err)
	}

	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 5 {
				if err := s.SaveDoc(ctx, fmt.Sprintf("ses-c%d", i), fmt.Appendf(nil, "doc %d.%d", i, j)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i := range 16 {
		got, err := s.LoadDoc(ctx, fmt.Sprintf("ses-c%d", i))
		if want := fmt.Sprintf("doc %d.4", i); err != nil || string(got) != want {
			t.Fatalf("LoadDoc(ses-c%d) = %q, %v; want %q", i, got, err, want)
		}
	}
}
