// Package pgtest gives tests of other packages a real, migrated Postgres
// store in a schema of their own, dropped when the test ends. The database
// is $HOMEROOM_TEST_POSTGRES_URL or the local CI server; a test fails (it
// does not skip) when neither answers.
package pgtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/store/postgres"
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

// NewStore returns a migrated store in a fresh schema, closed when the
// test ends.
func NewStore(t testing.TB) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, NewSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close) // runs before the schema is dropped
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
