package rooms

import (
	"context"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
)

// snapshotJob asks for an analysts' snapshot of a saved document.
type snapshotJob struct {
	session string
	saved   []byte
	at      time.Time
}

// startSnapshotter renders and stores analysts' snapshots when the store
// keeps them. Rendering costs a full load of the document (about 0.4 s for
// a 2,000-stroke board), so it runs on its own goroutine with a small
// queue, and a snapshot that finds the queue full is skipped (the next
// compaction or the session's end takes another): analytics never slow a
// class down.
func (r *Registry) startSnapshotter() {
	snaps, ok := r.store.(SnapshotStore)
	if !ok {
		return
	}
	r.snapJobs = make(chan snapshotJob, 16)
	r.snapQuit = make(chan struct{})
	r.snapDone = make(chan struct{})
	go drain(r.snapJobs, r.snapQuit, r.snapDone, func(job snapshotJob) { r.writeSnapshot(snaps, job) })
}

func (r *Registry) writeSnapshot(snaps SnapshotStore, job snapshotJob) {
	snap, err := crdt.RenderSnapshot(job.session, job.saved, job.at)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.SaveTimeout)
		err = snaps.SaveSnapshot(ctx, snap)
		cancel()
	}
	if err != nil {
		r.log.Warn("failed to store analysts' snapshot", "session", job.session, "err", err)
	}
}

// requestSnapshot hands a saved document to the snapshotter if it has
// room.
func (s *Session) requestSnapshot(saved []byte) {
	if s.reg.snapJobs == nil {
		return
	}
	select {
	case s.reg.snapJobs <- snapshotJob{session: s.id, saved: saved, at: time.Now()}:
	default:
		s.log.Debug("snapshotter busy; skipping an analysts' snapshot")
	}
}
