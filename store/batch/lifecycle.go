package batch

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// lifecycle is the goroutine a Writer or Committer owns: started once,
// told to finish by closing the queue, and aborted, which cancels the
// write in flight and every retry, when Close's context ends first.
type lifecycle struct {
	once   sync.Once
	abort  context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func newLifecycle() lifecycle {
	abort, cancel := context.WithCancel(context.Background())
	return lifecycle{abort: abort, cancel: cancel, done: make(chan struct{})}
}

func (l *lifecycle) start(run func()) {
	l.once.Do(func() {
		go func() {
			defer close(l.done)
			defer l.cancel()
			run()
		}()
	})
}

// finish waits for the goroutine to write what is queued (the caller has
// closed the queue), aborting it if ctx ends first.
func (l *lifecycle) finish(ctx context.Context, run func()) {
	l.start(run) // a queue never started still writes what it holds
	select {
	case <-l.done:
		return
	case <-ctx.Done():
	}
	l.cancel()
	<-l.done
}

// dropLog reports refused items at most once per dropLogEvery, with the
// count since the last report.
type dropLog struct {
	mu       sync.Mutex
	last     time.Time
	unlogged uint64
}

const dropLogEvery = 10 * time.Second

func (d *dropLog) dropped(log *slog.Logger, name string, total uint64) {
	now := time.Now()
	d.mu.Lock()
	d.unlogged++
	if !d.last.IsZero() && now.Sub(d.last) < dropLogEvery {
		d.mu.Unlock()
		return
	}
	n := d.unlogged
	d.unlogged, d.last = 0, now
	d.mu.Unlock()
	log.Warn("batch queue full; dropping items", "writer", name, "dropped", n, "dropped_total", total)
}

// flushLog reports drops not yet reported, at Close.
func (d *dropLog) flushLog(log *slog.Logger, name string, total uint64) {
	d.mu.Lock()
	n := d.unlogged
	d.unlogged = 0
	d.mu.Unlock()
	if n > 0 {
		log.Warn("batch queue full; dropping items", "writer", name, "dropped", n, "dropped_total", total)
	}
}

// lostError is Close's report of items not written; cause is the last
// write error, if any.
func lostError(kind, name string, lost int, cause error) error {
	if cause == nil {
		cause = context.Canceled
	}
	return fmt.Errorf("batch %s %q: %d items not written at close: %w", kind, name, lost, cause)
}
