// Package sqlite is the embedded store: the room model (catalog.Catalog),
// the audit log (catalog.AuditLog), saved session documents
// (rooms.DocStore) and the records of activities (activities.Store) in one
// SQLite file, through the pure-Go driver modernc.org/sqlite (no cgo). It
// is for a single node: one process owns the file.
//
// Open opens (creating if needed) the file in WAL mode with a busy timeout
// and foreign keys on, and does nothing else; Migrate applies the embedded
// schema (store/migrations). Times are stored as integer microseconds since
// the Unix epoch, UTC; settings, video and the lists of activity records as
// JSON text. Change events (Subscribe) are emitted in-process after each
// committed write.
//
// The package touches only the database file given to Open and its -wal
// and -shm companions.
package sqlite
