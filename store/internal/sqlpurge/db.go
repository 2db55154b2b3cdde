package sqlpurge

import (
	"context"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// DB is a SQL store as the purges see it. skip, wherever it appears, is
// the sessions a purge leaves alone (never nil).
type DB interface {
	// Traced returns the sessions in which records name user: chat,
	// polls, answers, events, connections, attendance, audit entries.
	Traced(ctx context.Context, user string) ([]string, error)
	// Candidates returns more sessions whose documents may hold user:
	// those of the courses they are enrolled in, and those with a
	// snapshot whose JSON holds the user id.
	Candidates(ctx context.Context, user string) ([]string, error)
	// Open returns those of ids whose catalog state is not ended.
	Open(ctx context.Context, ids []string) ([]string, error)
	// Tx runs fn in a write transaction and commits it, or rolls it back
	// if fn fails. It may run fn again (a retried conflict); fn starts
	// over.
	Tx(ctx context.Context, fn func(tx Tx) error) error
	// Publish publishes events of the catalog, once what they tell is
	// committed.
	Publish(events []catalog.Event)
}

// Tx is the statements of the purges within one transaction of a DB.
type Tx interface {
	// Document returns session's stored document followed by the changes
	// appended to it (locking the rows where the database can), the id of
	// the last change, and whether there was any of them.
	Document(ctx context.Context, session string) (doc []byte, lastChange int64, found bool, err error)
	// ReplaceDocument saves doc as session's document and deletes its
	// changes up to lastChange; changes appended since stay.
	ReplaceDocument(ctx context.Context, session string, doc []byte, lastChange int64) error
	// Snapshots returns the snapshots whose state holds user as text,
	// but those of the sessions of skip.
	Snapshots(ctx context.Context, user string, skip []string) ([]Snapshot, error)
	// ReplaceSnapshot sets the state of snapshot id.
	ReplaceSnapshot(ctx context.Context, id int64, state []byte) error
	// Activities anonymises user as pseudonym in chat messages and polls
	// and deletes their answers (secret ballots of open polls included),
	// connections, attendance and events, but in the sessions of skip,
	// adding the counts to rep.
	Activities(ctx context.Context, user, pseudonym string, skip []string, rep *privacy.PurgeReport) error
	// Catalog deletes user's enrollments, returning their courses, and
	// replaces user by pseudonym in the audit log but in the entries of
	// the sessions of skip, returning how many entries it changed.
	Catalog(ctx context.Context, user, pseudonym string, skip []string) (courses []string, audit int, err error)
	// Count runs query, of one integer, with sessions as its argument.
	Count(ctx context.Context, query string, sessions []string) (int, error)
	// Delete runs statement with sessions as its argument and returns how
	// many rows it deleted.
	Delete(ctx context.Context, statement string, sessions []string) (int, error)
}

// Snapshot is a stored snapshot that a purge may rewrite.
type Snapshot struct {
	ID      int64
	Session string
	State   []byte // JSON
}
