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

// waitDelivered waits until every joined student whose connection is
// still open has received all want teacher changes, or timeout. It
// reports whether they all did.
func (r *runner) waitDelivered(ctx context.Context, want int64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		behind := 0
		for _, s := range r.students {
			if s.joined.Load() && !s.isDone() && s.delivered.Load() < want {
				behind++
			}
		}
		if behind == 0 {
			return true
		}
		if time.Now().After(deadline) || sleep(ctx, 50*time.Millisecond) != nil {
			r.problem("%d students still missed teacher changes %s after drawing", behind, timeout)
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
