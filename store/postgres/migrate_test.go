package postgres

import (
	"context"
	"testing"
)

func TestMigrateFromEmptyIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, newSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	for i := range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	var versions, tables int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 4 {
		t.Fatalf("%d migrations recorded after two Migrates, want 4", versions)
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = ANY($1)`, wantTables).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != len(wantTables) {
		t.Fatalf("%d of the %d tables exist", tables, len(wantTables))
	}
}

var wantTables = []string{"session_changes", "session_snapshots",
	"institutions", "courses", "sessions", "enrollments", "audit_log", "session_documents",
	"chat_messages", "polls", "poll_submissions", "poll_results", "attendance_intervals", "engagement_events",
}
