// Package retention deletes the data of sessions that ended longer ago
// than their institution keeps it (docs/privacy.md). A Job lists the
// catalog's institutions, courses and sessions, picks the expired
// sessions and has the store delete their data (privacy.SessionPurger);
// the catalog rows stay. cmd/homeroom serve runs one in the background.
//
// The package touches the catalog and the store it is given, and logs
// what it removed; it starts no goroutine of its own: Run blocks until
// its context ends.
package retention
