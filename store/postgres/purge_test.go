package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

func TestPurgeUser(t *testing.T) {
	t.Parallel()
	storetest.RunPurge(t, newPurgeSubject)
}

func TestPurgeSessions(t *testing.T) {
	t.Parallel()
	storetest.RunPurgeSessions(t, newPurgeSubject)
}

func newPurgeSubject(t *testing.T) storetest.PurgeSubject {
	s := newStore(t)
	return storetest.PurgeSubject{Catalog: s, Audit: s, Docs: s, Snapshots: s, Activities: s, Users: s, Sessions: s,
		Dump: func(t *testing.T) []string { return dumpTables(t, s) }}
}

// dumpTables returns every row of every table of the store's schema as
// Postgres renders it as text (SELECT t::text FROM table t; bytea in hex).
func dumpTables(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("tables = %v", tables)
	}
	var out []string
	for _, table := range tables {
		rows, err := s.pool.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
		if err != nil {
			t.Fatal(err)
		}
		text, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range text {
			out = append(out, table+" "+r)
		}
	}
	return out
}
