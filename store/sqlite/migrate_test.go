package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

func TestMigrateFromEmptyIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "homeroom.db")
	for i := range 2 { // the second time on a reopened file
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate #%d again: %v", i+1, err)
		}
		var versions, tables int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if versions != 4 {
			t.Fatalf("%d migrations recorded, want 2", versions)
		}
		for _, name := range wantTables {
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n); err != nil {
				t.Fatal(err)
			}
			tables += n
		}
		if tables != len(wantTables) {
			t.Fatalf("%d of the %d tables exist", tables, len(wantTables))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

var wantTables = []string{"session_changes", "session_snapshots",
	"institutions", "courses", "sessions", "enrollments", "audit_log", "session_documents",
	"chat_messages", "polls", "poll_submissions", "poll_results", "attendance_intervals", "engagement_events",
}
