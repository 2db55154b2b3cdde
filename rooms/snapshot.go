package rooms

import (
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// joinCache holds the bytes every fresh joiner receives: a saved document
// known to load, and the changes made since it, each encoded as a frame
// once and shared by every joiner.
//
// The snapshot is renewed when the tail grows past Config.SnapshotEvery
// changes or past half the snapshot's size. Saving runs on the session
// goroutine (tens of milliseconds for a 2,000-stroke board), but checking
// that the saved form loads (a full load, several times longer) runs on a
// worker goroutine: until it passes, joiners keep getting the previous
// snapshot and a longer tail. A crafted change can make automerge's compact
// form unloadable; then the change log is served instead.
type joinCache struct {
	snapshotFrame []byte
	tail          []tailEntry // changes since the snapshot, in order
	tailCount     int
	tailBytes     int
	tailFrame     []byte // nil: rebuild from tail
	syncedFrame   []byte // nil: rebuild from the document's heads
	heads         []string
	checking      bool // a saved form is being checked
}

type tailEntry struct {
	chunks []byte
	count  int
}

// snapshotCheck is the outcome of checking a saved form on a worker.
type snapshotCheck struct {
	saved   []byte
	heads   []crdt.Hash
	covered int // tail entries the saved form includes
	err     error
	took    time.Duration
}

func (c *joinCache) appendTail(chunks []byte, count int) {
	c.tail = append(c.tail, tailEntry{chunks: chunks, count: count})
	c.tailCount += count
	c.tailBytes += len(chunks)
	c.tailFrame, c.syncedFrame, c.heads = nil, nil, nil
}

// install makes saved the snapshot, dropping the first covered tail
// entries it includes.
func (c *joinCache) install(saved []byte, covered int) {
	c.snapshotFrame = wire.EncodeFrame(wire.TypeSnapshot, saved)
	rest := make([]tailEntry, len(c.tail)-covered)
	copy(rest, c.tail[covered:])
	c.tail, c.tailCount, c.tailBytes = rest, 0, 0
	for _, e := range rest {
		c.tailCount += e.count
		c.tailBytes += len(e.chunks)
	}
	c.tailFrame = nil
}

func (c *joinCache) stale(every int) bool {
	return c.tailCount > every || c.tailBytes > max(64<<10, len(c.snapshotFrame)/2)
}

// initSnapshot sets the first snapshot when the session loads: the bytes it
// was loaded from (they just loaded, so they are good), or a fresh save of
// a new document.
func (s *Session) initSnapshot(saved []byte) {
	if saved == nil {
		saved = s.doc.Save()
	}
	s.join.install(saved, 0)
}

// maybeRenewSnapshot starts renewing the join snapshot when the tail has
// outgrown it and no check is under way.
func (s *Session) maybeRenewSnapshot() {
	c := &s.join
	if c.checking || !c.stale(s.cfg.SnapshotEvery) {
		return
	}
	start := time.Now()
	saved, heads, check, err := s.doc.SaveForCheck()
	if err != nil {
		s.log.Error("failed to save join snapshot", "err", err)
		return
	}
	covered := len(c.tail)
	if !check {
		c.install(saved, covered)
		s.metrics.snapshot(time.Since(start))
		return
	}
	c.checking = true
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		err := crdt.CheckSaved(saved, heads)
		s.checked <- snapshotCheck{saved: saved, heads: heads, covered: covered, err: err, took: time.Since(start)}
	}()
}

// snapshotChecked installs a checked snapshot, or records that the compact
// form is broken and renews from the change log.
func (s *Session) snapshotChecked(r snapshotCheck) {
	s.join.checking = false
	s.doc.RecordSaveCheck(r.heads, r.err == nil)
	if r.err != nil {
		s.log.Warn("document does not save compactly; joiners get its change log", "err", r.err)
		s.maybeRenewSnapshot()
		return
	}
	s.join.install(r.saved, r.covered)
	s.metrics.snapshot(r.took)
	// The store keeps the same document: the snapshot and the changes
	// since it, which together hold everything published so far.
	stored := slices.Clone(r.saved)
	for _, e := range s.join.tail {
		stored = append(stored, e.chunks...)
	}
	s.persistSnapshot(stored)
}

// sendSnapshot sends the cached snapshot, the changes since it and synced.
func (s *Session) sendSnapshot(conn Conn) {
	c := &s.join
	conn.SendInitial(c.snapshotFrame)
	if c.tailCount > 0 {
		if c.tailFrame == nil {
			var chunks []byte
			for _, e := range c.tail {
				chunks = append(chunks, e.chunks...)
			}
			c.tailFrame = wire.AppendChanges(nil, 0, chunks)
		}
		conn.SendInitial(c.tailFrame)
	}
	conn.SendInitial(s.syncedFrame())
}
