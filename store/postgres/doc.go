// Package postgres is the Postgres store: the room model (catalog.Catalog),
// the audit log (catalog.AuditLog), saved session documents (rooms.DocStore)
// and the records of activities (activities.Store) in one database reached
// through a pgx pool. Batches of activity records are written in one
// statement each, from arrays (unnest).
//
// Open connects and does nothing else; Migrate applies the embedded schema
// (store/migrations). Change events (Subscribe) are emitted in-process after
// each committed write, so a node sees only its own writes.
//
// The package touches only the database named by the URL given to Open.
package postgres
