// Package catalog is the room model: institutions, their courses, the
// scheduled sessions of each course and the enrollments that decide who may
// join them, plus the audit log of who changed what.
//
// The model is Institution → Course → Session, with Enrollment tying a user
// to a course in a Role. A join asks one question, Catalog.Admission: the
// session, its course and the user's role, in one call. Live sessions
// subscribe to changes (Catalog.Subscribe) so that a removed student or an
// ended session takes effect within seconds.
//
// Catalog and AuditLog are small storage interfaces; Memory implements both
// in process memory. Other implementations (SQLite, Postgres) must pass the
// conformance suite in catalogtest. The package touches no network and no
// disk; it knows nothing of sockets or HTTP (rooms/admin serves it).
package catalog
