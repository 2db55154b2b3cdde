// Package sqlpurge is the purge that the SQL stores (store/sqlite,
// store/postgres) share: which sessions a user's purge looks at and which
// it leaves alone, the order of its transactions, the redaction of
// documents and snapshots, the dry run rolled back, and the tables a
// retention purge of sessions deletes from. Each store supplies its own
// SQL through DB and Tx.
//
// It touches no database itself. The memory store purges its own way
// (store.MemoryPurge); all of them pass the suites of store/storetest.
package sqlpurge
