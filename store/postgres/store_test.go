package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/store/internal/pgschema"
)

// newSchema creates an empty schema of a random name, dropped when the test
// ends, and returns a URL whose connections use it.
func newSchema(t testing.TB) string { return pgschema.NewSchema(t) }

// newStore returns a migrated store in a fresh schema.
func newStore(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, newSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close) // runs before the schema is dropped
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Open(ctx, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"); err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
}
