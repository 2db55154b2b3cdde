package migrations

import (
	"embed"
	"io/fs"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Postgres is the migrations of the Postgres store, at the root of the FS.
var Postgres = sub("postgres")

// SQLite is the migrations of the embedded SQLite store, at the root of
// the FS.
var SQLite = sub("sqlite")

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // unreachable: dir is embedded above
	}
	return f
}
