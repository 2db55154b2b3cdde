package sqlite

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

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

// dumpTables returns every row of every table as text, blobs in hex.
func dumpTables(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("tables = %v", tables)
	}
	var out []string
	for _, table := range tables {
		rows, err := s.db.QueryContext(ctx, `SELECT * FROM "`+table+`" ORDER BY rowid`)
		if err != nil {
			// WITHOUT ROWID tables have none; none here so far.
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString(table)
			for i, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = hex.EncodeToString(raw)
				}
				fmt.Fprintf(&b, " %s=%v", cols[i], v)
			}
			out = append(out, b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
