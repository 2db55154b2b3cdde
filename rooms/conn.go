package rooms

import (
	"context"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
)

// Conn is how a session reaches one member: non-blocking sends of encoded
// frames. *peer.Peer implements it.
type Conn interface {
	// Send queues a durable frame; false means the member is gone or was
	// dropped for falling behind.
	Send(frame []byte) bool
	// SendAt is Send for a frame caused by an event at the given time.
	SendAt(frame []byte, at time.Time) bool
	// SendInitial queues a frame of a member's join (welcome, snapshot,
	// catch-up, synced); it is not counted against the send-queue bounds.
	SendInitial(frame []byte) bool
	// SendEphemeral queues a frame that may be dropped under backpressure.
	SendEphemeral(frame []byte) bool
	// Close flushes what is queued, then closes with code.
	Close(code websocket.StatusCode, reason string)
}

// DocStore keeps session documents: a saved document and the changes
// appended since, so a live session can persist its edits about once a
// second and compact them into a new document now and then. The store
// packages implement it and pass store/storetest.
type DocStore interface {
	// LoadDoc returns the saved document of a session followed by the
	// change chunks appended since (what crdt.Load reads), or nil if it
	// has neither.
	LoadDoc(ctx context.Context, session string) ([]byte, error)
	// SaveDoc replaces the saved document of a session and drops the
	// changes appended before, atomically.
	SaveDoc(ctx context.Context, session string, doc []byte) error
	// AppendChanges keeps change chunks made since the last SaveDoc.
	AppendChanges(ctx context.Context, session string, chunks []byte) error
}

// SnapshotStore keeps snapshots for analysts. Stores that implement it
// get a snapshot whenever a session compacts its document and when it
// ends, written off the sessions' goroutines on a best-effort basis.
type SnapshotStore interface {
	SaveSnapshot(ctx context.Context, s crdt.Snapshot) error
	// LatestSnapshot returns the newest snapshot of a session; ok is false
	// when it has none.
	LatestSnapshot(ctx context.Context, session string) (s crdt.Snapshot, ok bool, err error)
}
