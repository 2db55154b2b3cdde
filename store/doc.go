// Package store keeps what must outlive a live session in memory: session
// documents, snapshots for analysts, and the records of activities (chat,
// polls and their answers, engagement events, attendance: activities.Store).
// Memory is the in-process default; the embedded (store/sqlite) and Postgres
// (store/postgres) stores implement the same methods, and all three pass the
// suites of store/storetest. MemoryPurge, a Memory with a catalog.Memory,
// is the memory store's implementation of store/privacy's purges.
package store
