// Package pgschema gives tests a schema of their own in the test
// database, and a proxy to cut them off from it. It imports nothing of
// store/postgres, so that package's own tests can use it;
// store/postgres/pgtest re-exports it to the rest of the tree.
package pgschema

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URL is the database tests use.
func URL() string {
	if u := os.Getenv("HOMEROOM_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// NewSchema creates an empty schema of a random name, dropped when the
// test ends, and returns a URL whose connections use it.
func NewSchema(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	base := URL()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("Postgres is required for these tests and is not reachable at %s (set HOMEROOM_TEST_POSTGRES_URL): %v", base, err)
	}
	defer conn.Close(ctx)
	schema := "test_" + strings.ToLower(rand.Text()[:16])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("failed to create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("failed to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("failed to drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("pool_max_conns", "8")
	u.RawQuery = q.Encode()
	return u.String()
}
