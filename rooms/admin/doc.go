// Package admin is the HTTP API through which a district's scripts and
// LMS integrations set up the room model: institutions, courses, sessions
// and enrollments, and read the audit log. New returns the handler the
// server mounts under /admin/; it speaks JSON and is authenticated by one
// API key (Config.APIKey). docs/api.md is its reference.
//
// The package reads and writes only through catalog.Catalog and
// catalog.AuditLog; every write is recorded in the audit log as actor
// "admin". It never logs request bodies or the key.
package admin
