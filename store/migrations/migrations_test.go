package migrations

import (
	"io/fs"
	"slices"
	"testing"
)

// TestDialectsMatch checks that every migration exists in both dialects.
func TestDialectsMatch(t *testing.T) {
	names := func(fsys fs.FS) []string {
		out, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	pg, lite := names(Postgres), names(SQLite)
	if len(pg) == 0 || !slices.Equal(pg, lite) {
		t.Fatalf("postgres migrations %v, sqlite migrations %v", pg, lite)
	}
}
