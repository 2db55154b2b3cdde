package rooms

import (
	"time"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

type eventKind int

const (
	evJoin eventKind = iota
	evLeave
	evChanges
	evSync
	evPresence
	evApp
)

// event is one thing that happened to a session, handled in order by its
// goroutine.
type event struct {
	kind     eventKind
	member   *Member
	ref      uint64
	data     []byte
	at       time.Time
	presence wire.Presence
	app      wire.App
	join     JoinRequest
	conn     Conn
	reply    chan joinResult
}

type joinResult struct {
	member *Member
	err    error
}
