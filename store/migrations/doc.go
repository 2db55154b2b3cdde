// Package migrations holds the versioned SQL schema of the durable stores,
// embedded in the binary: one directory per dialect, applied in order by
// goose (see store/postgres and store/sqlite, Store.Migrate). It touches no
// database itself.
//
// Files are named NNNNN_what.sql and are never edited once released; a
// schema change is a new file in both dialects.
package migrations
