package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

// TestPurge runs the purge suites against a Postgres store, every row of
// every table in the search for traces.
func TestPurge(t *testing.T) {
	t.Parallel()
	storetest.RunPurgers(t, newStore, dumpTables)
}

// dumpTables returns every row of every table of the store's schema as
// Postgres renders it as text (SELECT t::text FROM table t; bytea in hex).
func dumpTables(ctx context.Context, s *Store) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	if len(tables) < 10 {
		return nil, fmt.Errorf("tables = %v", tables)
	}
	var out []string
	for _, table := range tables {
		rows, err := s.pool.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
		if err != nil {
			return nil, err
		}
		text, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		for _, r := range text {
			out = append(out, table+" "+r)
		}
	}
	return out, nil
}
