package rooms

import (
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
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
	evRevoke   // the user lost access (enrollment removed)
	evRole     // the user's role changed
	evEnded    // the session ended in the catalog
	evSettings // the session's settings changed in the catalog
	evMembers  // list the users connected
	evFunc     // run fn: the result of a worker or of the store
)

// event is one thing that happened to a session, handled in order by its
// goroutine.
type event struct {
	kind     eventKind
	member   *Member
	ref      uint64
	data     []byte
	chunks   []crdt.Chunk
	at       time.Time
	presence wire.Presence
	app      wire.App
	join     JoinRequest
	user     string
	role     Role
	reason   string
	settings catalog.Settings
	// catalogSession is the session's catalog record, for evSettings.
	catalogSession catalog.Session
	users          chan []string
	conn           Conn
	reply          chan joinResult
	fn             func(*Session)
}

type joinResult struct {
	member *Member
	err    error
}
