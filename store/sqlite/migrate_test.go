package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/homeroom-edu/homeroom/store/migrations"
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
		if versions != 6 {
			t.Fatalf("%d migrations recorded, want 6", versions)
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
	"chat_messages", "polls", "poll_submissions", "poll_results", "attendance_intervals", "session_events", "attendance_records",
}

// TestMigrateDownAndUpAgain checks that 00005 can be rolled back to the
// tables of 00002 and applied again.
func TestMigrateDownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p, err := goose.NewProvider(goose.DialectSQLite3, s.db, migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 4); err != nil {
		t.Fatalf("down to 4: %v", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'engagement_events'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("engagement_events after down: %d, %v", n, err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
