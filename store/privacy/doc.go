// Package privacy holds what the stores share to forget people: the
// reports of a user's purge and of a retention sweep, the interfaces the
// stores implement to produce them (UserPurger, SessionPurger), the
// pseudonyms purged users are replaced by, and the redaction of a stored
// session document (over crdt.Redact).
//
// It touches no database: the memory store (store), store/sqlite and
// store/postgres implement the interfaces (the SQL stores through the
// shared steps of store/internal/sqlpurge) and pass the suites of
// store/storetest; rooms/admin, cmd/homeroom and store/retention call
// them. docs/privacy.md says what is deleted, what is anonymised, what
// stays and why.
package privacy
