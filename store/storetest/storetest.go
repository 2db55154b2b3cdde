// Package storetest is the conformance suite every document store runs:
// the memory store, SQLite and Postgres pass the same tests, as the
// catalogs pass rooms/catalog/catalogtest.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms"
)

// RunDocStore checks a rooms.DocStore: a missing session loads as nil, a
// saved document loads back byte for byte (also a large binary one), a
// save replaces the previous document, and concurrent saves of different
// sessions do not interfere. newStore returns an empty store.
func RunDocStore(t *testing.T, newStore func(t *testing.T) rooms.DocStore) {
	t.Run("MissingIsNil", func(t *testing.T) {
		s := newStore(t)
		if doc, err := s.LoadDoc(context.Background(), "ses-missing"); err != nil || doc != nil {
			t.Fatalf("LoadDoc(missing) = %v, %v; want nil, nil", doc, err)
		}
	})
	t.Run("RoundTripAndReplace", func(t *testing.T) {
		s := newStore(t)
		ctx := context.Background()
		for _, want := range [][]byte{[]byte("first version"), bytes.Repeat([]byte{0, 1, 0xff}, 100_000)} {
			if err := s.SaveDoc(ctx, "ses-1", want); err != nil {
				t.Fatal(err)
			}
			got, err := s.LoadDoc(ctx, "ses-1")
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("LoadDoc = %d bytes, %v; want the %d bytes saved", len(got), err, len(want))
			}
		}
	})
	t.Run("AppendThenCompact", func(t *testing.T) {
		s := newStore(t)
		ctx := context.Background()
		if err := s.AppendChanges(ctx, "ses-a", []byte("c1")); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LoadDoc(ctx, "ses-a"); err != nil || string(got) != "c1" {
			t.Fatalf("changes without a document: %q, %v", got, err)
		}
		if err := s.SaveDoc(ctx, "ses-a", []byte("doc")); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"+c2", "+c3"} {
			if err := s.AppendChanges(ctx, "ses-a", []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.LoadDoc(ctx, "ses-a"); err != nil || string(got) != "doc+c2+c3" {
			t.Fatalf("document and changes: %q, %v", got, err)
		}
		// Saving a new document drops the changes it replaces.
		if err := s.SaveDoc(ctx, "ses-a", []byte("doc2")); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LoadDoc(ctx, "ses-a"); err != nil || string(got) != "doc2" {
			t.Fatalf("after compaction: %q, %v", got, err)
		}
		if got, _ := s.LoadDoc(ctx, "ses-other"); got != nil {
			t.Fatalf("another session sees %q", got)
		}
	})
	t.Run("ConcurrentSessions", func(t *testing.T) {
		s := newStore(t)
		ctx := context.Background()
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
	})
}

// RunSnapshots checks a rooms.SnapshotStore: none before the first, the
// newest after several, sessions apart.
func RunSnapshots(t *testing.T, newStore func(t *testing.T) rooms.SnapshotStore) {
	s := newStore(t)
	ctx := context.Background()
	if _, ok, err := s.LatestSnapshot(ctx, "ses-1"); err != nil || ok {
		t.Fatalf("LatestSnapshot before any = %v, %v", ok, err)
	}
	base := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i, board := range []string{`{"board":{}}`, `{"board":{"s1":{"id":"s1"}}}`} {
		snap := crdt.Snapshot{Session: "ses-1", TakenAt: base.Add(time.Duration(i) * time.Minute),
			Heads: []string{fmt.Sprintf("%064x", i)}, Size: 100 + i, State: []byte(board)}
		if err := s.SaveSnapshot(ctx, snap); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveSnapshot(ctx, crdt.Snapshot{Session: "ses-2", TakenAt: base, Heads: []string{}, State: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LatestSnapshot(ctx, "ses-1")
	if err != nil || !ok {
		t.Fatalf("LatestSnapshot = %v, %v", ok, err)
	}
	if !got.TakenAt.Equal(base.Add(time.Minute)) || got.Size != 101 || len(got.Heads) != 1 || got.Heads[0] != fmt.Sprintf("%064x", 1) {
		t.Fatalf("latest snapshot = %+v", got)
	}
	var state map[string]any
	if err := json.Unmarshal(got.State, &state); err != nil || state["board"].(map[string]any)["s1"] == nil {
		t.Fatalf("state = %s (%v)", got.State, err)
	}
}

// BenchDocStore measures a document store's write path: the steady append
// of a live session (a second of board changes: 30 × 200 bytes per row)
// and a compaction (a 300 KB saved board replacing the changes before it).
func BenchDocStore(b *testing.B, s rooms.DocStore) {
	ctx := context.Background()
	b.Run("AppendChanges", func(b *testing.B) {
		chunks := make([]byte, 30*200)
		b.ReportAllocs()
		b.SetBytes(int64(len(chunks)))
		for i := 0; b.Loop(); i++ {
			if err := s.AppendChanges(ctx, fmt.Sprint("ses-", i%50), chunks); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SaveDoc", func(b *testing.B) {
		doc := make([]byte, 300<<10)
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for i := 0; b.Loop(); i++ {
			if err := s.SaveDoc(ctx, fmt.Sprint("ses-", i%50), doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
