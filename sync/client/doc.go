// Package client is the Go client of homeroom.v1: it joins a live session,
// keeps a full replica of the session document, sends local edits and
// applies remote ones, and reconnects with exponential backoff and full
// jitter. Offline it keeps editing; on return it resyncs from the last
// server state it saw and sends what the server has not acknowledged.
// Tests, the load tool and tablet-like clients use it.
package client
