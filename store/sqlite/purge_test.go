package sqlite

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

// TestPurge runs the purge suites against an SQLite store, every row of
// every table in the search for traces.
func TestPurge(t *testing.T) {
	t.Parallel()
	storetest.RunPurgers(t, newStore, dumpTables)
}

// dumpTables returns every row of every table as text, blobs in hex.
func dumpTables(ctx context.Context, s *Store) ([]string, error) {
	var tables []string
	err := eachRow(ctx, s, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`, func(_ []string, vals []any) {
		tables = append(tables, fmt.Sprint(vals[0]))
	})
	if err != nil {
		return nil, err
	}
	if len(tables) < 10 {
		return nil, fmt.Errorf("tables = %v", tables)
	}
	var out []string
	for _, table := range tables {
		// WITHOUT ROWID tables have no rowid; none here so far.
		err := eachRow(ctx, s, `SELECT * FROM "`+table+`" ORDER BY rowid`, func(cols []string, vals []any) {
			var b strings.Builder
			b.WriteString(table)
			for i, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = hex.EncodeToString(raw)
				}
				fmt.Fprintf(&b, " %s=%v", cols[i], v)
			}
			out = append(out, b.String())
		})
		if err != nil {
			return nil, fmt.Errorf("dump %s: %w", table, err)
		}
	}
	return out, nil
}

// eachRow runs query and calls fn with the columns and values of each row.
func eachRow(ctx context.Context, s *Store, query string, fn func(cols []string, vals []any)) error {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(cols, vals)
	}
	return rows.Err()
}
