package crdt

import (
	"encoding/json"
	"fmt"
	"time"
)

// Snapshot is a session document's state at one point in time, for
// analysts: its JSON rendering and its heads. Stores keep them in a table
// analysts query with SQL (docs/analytics.md).
type Snapshot struct {
	Session string
	TakenAt time.Time
	Heads   []string
	Size    int    // bytes of the saved document it was rendered from
	State   []byte // JSON of State
}

// RenderSnapshot loads a saved document (what Save or a store's LoadDoc
// returns) and renders its snapshot. It touches no live Doc, so it may run
// on any goroutine; it costs a full load and read (about 0.4 s for a
// 2,000-stroke board), which is why sessions never call it themselves.
func RenderSnapshot(session string, saved []byte, at time.Time) (Snapshot, error) {
	d, err := Load(saved)
	if err != nil {
		return Snapshot{}, fmt.Errorf("render snapshot of %q: %w", session, err)
	}
	st, err := d.State()
	if err != nil {
		return Snapshot{}, fmt.Errorf("render snapshot of %q: %w", session, err)
	}
	state, err := json.Marshal(st)
	if err != nil {
		return Snapshot{}, fmt.Errorf("render snapshot of %q: %w", session, err)
	}
	return Snapshot{Session: session, TakenAt: at, Heads: HashStrings(d.Heads()), Size: len(saved), State: state}, nil
}
