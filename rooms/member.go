package rooms

import (
	"context"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Member is one connection joined to a live session. The gateway holds it
// and forwards what the client sends; every method hands an event to the
// session goroutine and waits only for room in its inbox.
type Member struct {
	ID    string
	User  string
	Name  string
	Role  Role // the role at join; the session's current view is role
	Guest bool // admitted by the session's invite, not by enrollment

	session *Session
	conn    Conn

	// Owned by the session goroutine.
	role      Role // changes when the enrollment does
	syncState *automerge.SyncState
	cursor    wire.Presence
	cursorSet bool
	joinedAt  time.Time // when this connection joined, for attendance
	away      bool      // the client reports its tab hidden
}

// Changes hands a client changes frame to the session: its change chunks,
// already checked by crdt.ParseChunks. ref is the client's frame number,
// at when it was read.
func (m *Member) Changes(ctx context.Context, ref uint64, chunks []crdt.Chunk, at time.Time) error {
	return m.session.post(ctx, event{kind: evChanges, member: m, ref: ref, chunks: chunks, at: at})
}

// Sync hands an Automerge sync message to the session.
func (m *Member) Sync(ctx context.Context, msg []byte) error {
	return m.session.post(ctx, event{kind: evSync, member: m, data: msg})
}

// Presence hands an ephemeral presence update to the session.
func (m *Member) Presence(ctx context.Context, p wire.Presence) error {
	return m.session.post(ctx, event{kind: evPresence, member: m, presence: p})
}

// App hands an application frame to the session.
func (m *Member) App(ctx context.Context, app wire.App, payload []byte) error {
	return m.session.post(ctx, event{kind: evApp, member: m, app: app, data: payload})
}

// Leave removes the member from the session. It does not block on a full
// inbox for long: a session that is stopping forgets its members anyway.
func (m *Member) Leave() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = m.session.post(ctx, event{kind: evLeave, member: m})
}
