package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/homeroom-edu/homeroom/store/migrations"
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
	if versions != 6 {
		t.Fatalf("%d migrations recorded after two Migrates, want 6", versions)
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
	"chat_messages", "polls", "poll_submissions", "poll_results", "attendance_intervals", "session_events", "attendance_records",
}

// TestMigrateDownAndUpAgain checks that 00005 can be rolled back to the
// tables of 00002 and applied again.
func TestMigrateDownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 4); err != nil {
		t.Fatalf("down to 4: %v", err)
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = 'engagement_events'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("engagement_events after down: %d, %v", n, err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

// TestConcurrentMigrationsTakeTurns starts several nodes' migrations on an
// empty schema at once: the lock makes them take turns, so each succeeds
// and every migration is applied exactly once.
func TestConcurrentMigrationsTakeTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := newSchema(t)
	const nodes = 4
	errs := make(chan error, nodes)
	for range nodes {
		go func() {
			s, err := Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			errs <- s.Migrate(ctx)
		}()
	}
	for range nodes {
		if err := <-errs; err != nil {
			t.Fatalf("a concurrent migration failed: %v", err)
		}
	}
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied, distinct int
	if err := s.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != 6 || distinct != 6 {
		t.Fatalf("%d migration rows (%d distinct), want each of the 6 once", applied, distinct)
	}
}
