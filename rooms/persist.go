package rooms

import (
	"context"
	"time"
)

// docJob is one write of a session's document to the store: the changes
// made since the last write, or a new saved document (with the changes
// since it) that replaces everything stored before.
type docJob struct {
	session string
	save    bool
	data    []byte
	queued  time.Time
	done    chan error // optional: told the outcome
}

// docWriter persists documents off the sessions' goroutines, in the order
// sessions asked, so a saved document never overtakes the changes it
// includes nor the other way round. A failed write is retried with backoff
// until it succeeds or the registry stops; meanwhile later writes wait and
// sessions keep their unsaved changes in memory, so a database outage
// never stops a class.
func (r *Registry) startDocWriter() {
	r.docJobs = make(chan docJob, r.cfg.PersistQueue)
	r.metrics.watchQueue(func() float64 { return float64(len(r.docJobs)) })
	r.docQuit = make(chan struct{})
	r.docDone = make(chan struct{})
	go drain(r.docJobs, r.docQuit, r.docDone, r.writeDoc)
}

// drain runs do for every job until quit is closed, then for the jobs
// still queued, and closes done. The registry's writers are built on it.
func drain[J any](jobs <-chan J, quit <-chan struct{}, done chan<- struct{}, do func(J)) {
	defer close(done)
	for {
		select {
		case job := <-jobs:
			do(job)
		case <-quit:
			for {
				select {
				case job := <-jobs:
					do(job)
				default:
					return
				}
			}
		}
	}
}

func (r *Registry) writeDoc(job docJob) {
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.SaveTimeout)
		var err error
		if job.save {
			err = r.store.SaveDoc(ctx, job.session, job.data)
		} else {
			err = r.store.AppendChanges(ctx, job.session, job.data)
		}
		cancel()
		if err == nil {
			if attempt > 0 {
				r.log.Info("document store writes again", "session", job.session, "attempts", attempt+1)
			}
			r.metrics.persisted(job.save, time.Since(job.queued))
			if job.done != nil {
				job.done <- nil
			}
			return
		}
		if attempt == 0 {
			r.log.Error("failed to write session document; retrying", "session", job.session, "err", err)
		}
		r.metrics.persistFailed()
		select {
		case <-time.After(backoff):
			backoff = min(2*backoff, 5*time.Second)
		case <-r.docQuit:
			if attempt >= 2 {
				r.log.Error("gave up writing session document at shutdown", "session", job.session, "err", err)
				if job.done != nil {
					job.done <- err
				}
				return
			}
		}
	}
}

// persistTick hands the changes made since the last write to the writer,
// about every Config.SaveInterval. If the writer's queue is full the
// changes stay here and go with the next tick.
func (s *Session) persistTick(now time.Time) {
	if s.needsBase {
		// A new session's first write is its whole (small) document:
		// appended changes alone would depend on its creation.
		saved, _, err := s.doc.SaveChecked()
		if err != nil {
			s.log.Error("failed to save new session document", "err", err)
			return
		}
		select {
		case s.reg.docJobs <- docJob{session: s.id, save: true, data: saved, queued: now}:
			s.needsBase, s.unsaved, s.lastPersist = false, nil, now
		default:
			s.metrics.persistQueueFull()
		}
		return
	}
	if len(s.unsaved) == 0 || now.Sub(s.lastPersist) < s.cfg.SaveInterval {
		return
	}
	select {
	case s.reg.docJobs <- docJob{session: s.id, data: s.unsaved, queued: now}:
		s.unsaved, s.lastPersist = nil, now
	default:
		s.metrics.persistQueueFull()
	}
}

// persistSnapshot stores a new saved document (the join snapshot just
// verified, followed by the changes since it): everything published so far
// is in it, so the unsaved changes are dropped, and the store drops the
// changes appended before it.
func (s *Session) persistSnapshot(doc []byte) {
	select {
	case s.reg.docJobs <- docJob{session: s.id, save: true, data: doc, queued: time.Now()}:
		s.needsBase, s.unsaved, s.lastPersist = false, nil, time.Now()
		s.requestSnapshot(doc)
	default:
		s.metrics.persistQueueFull()
	}
}

// persistFinal stores the document when the session stops and waits for
// the write, so a session that loads next finds it.
func (s *Session) persistFinal(doc []byte) error {
	s.requestSnapshot(doc)
	done := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.SaveTimeout)
	defer cancel()
	select {
	case s.reg.docJobs <- docJob{session: s.id, save: true, data: doc, queued: time.Now(), done: done}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
