// Package pgtest gives tests of other packages a real, migrated Postgres
// store in a schema of their own, dropped when the test ends. The database
// is $HOMEROOM_TEST_POSTGRES_URL or the local CI server; a test fails (it
// does not skip) when neither answers.
package pgtest

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/store/internal/pgschema"
	"github.com/homeroom-edu/homeroom/store/postgres"
)

// URL is the database tests use.
func URL() string { return pgschema.URL() }

// NewSchema creates an empty schema of a random name, dropped when the
// test ends, and returns a URL whose connections use it.
func NewSchema(t testing.TB) string { return pgschema.NewSchema(t) }

// Proxy cuts a test off from the database and restores it; see
// pgschema.Proxy.
type Proxy = pgschema.Proxy

// NewProxy starts a proxy to the test database, stopped when the test ends.
func NewProxy(t testing.TB) *Proxy { return pgschema.NewProxy(t) }

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
