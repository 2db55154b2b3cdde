package rooms

import (
	"context"
	"time"
)

// asyncTimeout bounds the store work of one session worker.
const asyncTimeout = 30 * time.Second

// async runs work off the session goroutine (store reads and writes that
// must not hold up the class) and then runs what it returns, if anything,
// back on the session goroutine. The session waits for its workers
// before it unloads.
func (s *Session) async(work func(ctx context.Context) func(*Session)) {
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		ctx, cancel := context.WithTimeout(context.Background(), asyncTimeout)
		then := work(ctx)
		cancel()
		if then != nil {
			s.postFunc(then)
		}
	}()
}

// postFunc hands fn to the session goroutine from another goroutine (a
// worker, the group committer). It gives up after a second when the
// session's inbox stays full or the session is gone: what fn would have
// sent is then lost, and clients recover by retrying (a poll answer with
// the same attempt id is acknowledged again).
func (s *Session) postFunc(fn func(*Session)) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case s.inbox <- event{kind: evFunc, fn: fn}:
	case <-s.done:
	case <-s.unloading:
	case <-t.C:
		s.log.Warn("session inbox full; dropping an activity result")
	}
}
