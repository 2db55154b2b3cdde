// Package store keeps what must outlive a live session in memory: session
// documents today; chat, polls, attendance and snapshots for analysts as
// they arrive. Memory is the in-process default; the embedded and Postgres
// stores implement the same methods.
package store
