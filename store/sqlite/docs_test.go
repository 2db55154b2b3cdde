package sqlite

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/store/storetest"
)

func TestDocStore(t *testing.T) {
	t.Parallel()
	storetest.RunDocStore(t, func(t *testing.T) rooms.DocStore { return newStore(t) })
}

// TestDocStoreRecordsSize checks the size column analysts read.
func TestDocStoreRecordsSize(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if err := s.SaveDoc(ctx, "ses-1", make([]byte, 300_000)); err != nil {
		t.Fatal(err)
	}
	var size int
	if err := s.db.QueryRowContext(ctx, `SELECT size FROM session_documents WHERE session_id = ?`, "ses-1").Scan(&size); err != nil || size != 300_000 {
		t.Fatalf("size column = %d, %v; want 300000", size, err)
	}
}

func TestSnapshots(t *testing.T) {
	t.Parallel()
	storetest.RunSnapshots(t, func(t *testing.T) rooms.SnapshotStore { return newStore(t) })
}

// The store keeps session documents for rooms. The guard lives in a test
// so that rooms' own tests may run against this store without an import
// cycle.
var _ rooms.DocStore = (*Store)(nil)
