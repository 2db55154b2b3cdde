package gameday

import (
	"context"
	"sync"
	"time"
)

// The crowd is the run's students: joined together (all at once or spread
// over Config.Ramp), watched together, stopped together.

// joinStudents creates cfg.Students students, Replicas of them evenly
// spread replicas, starts them and waits until every join is decided
// (synced, refused, failed or timed out) or ctx is done.
func (r *runner) joinStudents(ctx context.Context) error {
	n := r.cfg.Students
	r.students = make([]*student, n)
	isReplica := make([]bool, n)
	for k := range r.cfg.Replicas {
		isReplica[k*n/r.cfg.Replicas] = true
	}
	for i := range n {
		r.students[i] = newStudent(r, i, isReplica[i])
	}
	r.undecided.Store(int64(n))
	if n == 0 {
		close(r.allDecided)
	}

	slots := make(chan struct{}, r.cfg.DialConcurrency)
	begin := time.Now()
	started := 0
	var err error
	for i, s := range r.students {
		if r.cfg.Ramp > 0 {
			at := time.Duration(int64(r.cfg.Ramp) * int64(i) / int64(n))
			if err = sleep(ctx, time.Until(begin.Add(at))); err != nil {
				break
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		started++
		r.goFunc(func() {
			var once sync.Once
			s.run(ctx, func() { once.Do(func() { <-slots }) })
		})
	}
	// Students never started count as failed joins.
	for range r.students[started:] {
		r.failed.Add(1)
		r.joinDecided()
	}
	r.students = r.students[:started]
	if err != nil {
		return err
	}
	select {
	case <-r.allDecided:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// joinMeasured lets the server settle, joins the students and, once they
// are all in and the server has settled again, records the server's
// memory growth per joined student.
func (r *runner) joinMeasured(ctx context.Context) {
	r.setPhase("settle")
	_ = sleep(ctx, r.cfg.Settle)
	before := r.rss.current(ctx)

	r.setPhase("join")
	if err := r.joinStudents(ctx); err != nil {
		return
	}
	r.setPhase("settle")
	_ = sleep(ctx, r.cfg.Settle)
	if after := r.rss.current(ctx); before > 0 && after > 0 {
		if n := r.joined.Load(); n > 0 {
			r.mu.Lock()
			r.idlePerStudent = (after - before) / n
			r.mu.Unlock()
		}
	}
}

// waitDelivered waits until every joined student whose connection is
// still open has received want() deliveries (teacher changes or chat
// messages, named by what), or timeout. It reports whether they all did.
func (r *runner) waitDelivered(ctx context.Context, want func() int64, what string, timeout time.Duration) bool {
	return r.waitStudents(ctx, timeout, "still missed "+what, func(s *student) bool {
		return s.delivered.Load() >= want()
	})
}

// waitStudents waits until done holds for every joined student whose
// connection is still open, or timeout. Otherwise it records a problem:
// how many students (what) after timeout. It reports whether done held
// for them all.
func (r *runner) waitStudents(ctx context.Context, timeout time.Duration, what string, done func(*student) bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		behind := 0
		for _, s := range r.students {
			if s.joined.Load() && !s.isDone() && !done(s) {
				behind++
			}
		}
		if behind == 0 {
			return true
		}
		if time.Now().After(deadline) || sleep(ctx, 20*time.Millisecond) != nil {
			r.problem("%d students %s after %s", behind, what, timeout)
			return false
		}
	}
}

// stopStudents closes every started student normally, DialConcurrency at
// a time, and waits for all of them.
func (r *runner) stopStudents() {
	var wg sync.WaitGroup
	next := make(chan *student)
	for range min(r.cfg.DialConcurrency, max(len(r.students), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				s.stop()
			}
		}()
	}
	for _, s := range r.students {
		next <- s
	}
	close(next)
	wg.Wait()
}
