package batch

import (
	"context"
	"fmt"
	"time"
)

// CommitFunc commits a batch of items, in one transaction where the store
// has them, and returns one result per item, in order. It is called from
// the committer's goroutine, one batch at a time, in queue order, and
// again with the same items after an error, so it must be idempotent. It
// must return when ctx ends and must not keep items after it returns.
type CommitFunc[T, R any] func(ctx context.Context, items []T) ([]R, error)

// Committer is group commit for writes a client is acknowledged for: the
// caller submits an item with a callback and moves on, one goroutine
// commits what is queued in batches of up to Config.MaxBatch, and each
// item's callback runs once its batch committed. Batching is as in
// Writer: immediate when idle, growing with the load.
//
// A failing commit is retried with the same batch, under exponential
// backoff with full jitter, for up to Config.RetryFor; then the batch's
// items fail with ErrGaveUp and the next batch is tried, so a client
// waits a bounded time and can be told to retry.
//
// All methods are safe for concurrent use.
type Committer[T, R any] struct {
	cfg    Config
	commit CommitFunc[T, R]
	q      *queue[pending[T, R]]
	m      *meter
	drops  dropLog
	life   lifecycle

	entries []pending[T, R] // reused between commits; the goroutine's
	items   []T             // likewise
	lastErr error           // the latest commit error; the goroutine's until done
	lost    int             // set by the goroutine before done closes
}

// pending is a submitted item and whom to tell.
type pending[T, R any] struct {
	item T
	done func(R, error)
}

// NewCommitter returns a committer that calls commit; Start starts it.
func NewCommitter[T, R any](cfg Config, commit CommitFunc[T, R]) (*Committer[T, R], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if commit == nil {
		return nil, fmt.Errorf("batch: committer %q has no commit function", cfg.Name)
	}
	cfg = cfg.withDefaults()
	m := newMeter(cfg.Metrics, cfg.Name)
	return &Committer[T, R]{
		cfg:    cfg,
		commit: commit,
		q:      newQueue[pending[T, R]](cfg.QueueSize, m.depth),
		m:      m,
		life:   newLifecycle(),
	}, nil
}

// Start starts the committer's goroutine; items submitted before are
// kept. Calling it again does nothing.
func (c *Committer[T, R]) Start() { c.life.start(c.run) }

// Submit queues item to be committed and returns at once. done (which may
// be nil) is called exactly once: from the committer's goroutine with the
// item's result after its batch committed, or with an error wrapping
// ErrGaveUp, ErrResultCount or ErrClosed; or at once, on the caller's
// goroutine, with ErrQueueFull when the queue is full or ErrClosed after
// Close. done must not block the committer for long, nor wait for the
// goroutine that called Submit.
func (c *Committer[T, R]) Submit(item T, done func(R, error)) {
	if err := c.TrySubmit(item, done); err != nil && done != nil {
		var zero R
		done(zero, err)
	}
}

// TrySubmit is Submit for callers whose done may not run on their own
// goroutine (one that posts to a queue the caller itself drains): when
// the item cannot be queued it returns ErrQueueFull or ErrClosed and never
// calls done; otherwise done is called later from the committer's
// goroutine, as for Submit.
func (c *Committer[T, R]) TrySubmit(item T, done func(R, error)) error {
	r := c.q.push(pending[T, R]{item: item, done: done})
	if r == pushed {
		return nil
	}
	c.m.refused(r)
	if r == pushFull {
		c.drops.dropped(c.cfg.Logger, c.cfg.Name, c.m.dropped.Load())
		return ErrQueueFull
	}
	return ErrClosed
}

// SubmitWait submits item and waits for its result or for ctx to end. An
// item whose wait ended may still be committed.
func (c *Committer[T, R]) SubmitWait(ctx context.Context, item T) (R, error) {
	type outcome struct {
		r   R
		err error
	}
	ch := make(chan outcome, 1)
	c.Submit(item, func(r R, err error) { ch <- outcome{r, err} })
	select {
	case o := <-ch:
		return o.r, o.err
	case <-ctx.Done():
		var zero R
		return zero, ctx.Err()
	}
}

// Close stops taking items and commits those queued until they are all
// done or ctx ends. Then it cancels the commit in flight, fails every
// item left with ErrClosed, waits for the goroutine to return, and
// reports how many items were not committed (with an error saying why
// when there were any). Close may be called more than once; every call
// reports the same outcome.
func (c *Committer[T, R]) Close(ctx context.Context) (lost int, err error) {
	c.q.close()
	c.life.finish(ctx, c.run)
	c.drops.flushLog(c.cfg.Logger, c.cfg.Name, c.m.dropped.Load())
	if c.lost == 0 {
		return 0, nil
	}
	return c.lost, lostError("committer", c.cfg.Name, c.lost, c.lastErr)
}

// Stats returns the committer's figures.
func (c *Committer[T, R]) Stats() Stats {
	oldest, ok := c.q.oldest()
	return c.m.stats(c.q.len(), oldest, ok, c.q.now())
}

func (c *Committer[T, R]) run() {
	for {
		entries, oldest, done := c.q.take(c.entries[:0], c.cfg.MaxBatch)
		c.entries = entries
		if done {
			c.m.idle()
			return
		}
		if c.life.abort.Err() != nil {
			c.shutdown(entries)
			return
		}
		if len(entries) == 0 {
			c.m.idle()
			select {
			case <-c.q.ready:
			case <-c.life.abort.Done():
			}
			continue
		}
		ok := c.commitBatch(entries, oldest)
		clear(entries)
		clear(c.items)
		if !ok {
			return
		}
	}
}

// commitBatch commits entries, retrying for up to RetryFor, and tells
// each entry the outcome. It returns false when the committer was aborted
// (every entry left, queued ones included, has then been failed).
func (c *Committer[T, R]) commitBatch(entries []pending[T, R], oldest int64) bool {
	items := c.items[:0]
	for _, e := range entries {
		items = append(items, e.item)
	}
	c.items = items
	start := time.Now()
	bo := backoff{min: c.cfg.MinBackoff, max: c.cfg.MaxBackoff}
	for attempt := 1; ; attempt++ {
		c.m.attempt(len(items), oldest, time.Duration(c.q.now()-oldest))
		ctx, cancel := context.WithTimeout(c.life.abort, c.cfg.FlushTimeout)
		results, err := c.commit(ctx, items)
		cancel()
		if err == nil && len(results) != len(items) {
			c.m.failure()
			c.m.gaveUp(len(items))
			err = fmt.Errorf("%w: %d results for %d items", ErrResultCount, len(results), len(items))
			c.cfg.Logger.Error("failed to commit batch", "writer", c.cfg.Name, "items", len(items), "err", err)
			fail(entries, err)
			return true
		}
		if err == nil {
			c.m.wrote(len(items))
			if attempt > 1 {
				c.cfg.Logger.Info("batch committer commits again", "writer", c.cfg.Name, "attempts", attempt)
			}
			for i, e := range entries {
				if e.done != nil {
					e.done(results[i], nil)
				}
			}
			return true
		}
		c.lastErr = err
		c.m.failure()
		if attempt == 1 {
			c.cfg.Logger.Error("failed to commit batch; retrying", "writer", c.cfg.Name, "items", len(items), "err", err)
		}
		left := c.cfg.RetryFor - time.Since(start)
		if left <= 0 && c.life.abort.Err() == nil {
			c.m.gaveUp(len(items))
			c.cfg.Logger.Error("gave up committing batch", "writer", c.cfg.Name, "items", len(items),
				"attempts", attempt, "err", err)
			fail(entries, fmt.Errorf("%w after %d attempts: %w", ErrGaveUp, attempt, err))
			return true
		}
		if !sleep(c.life.abort, min(bo.next(), left)) {
			c.shutdown(entries)
			return false
		}
	}
}

// shutdown fails the entries of the batch in hand and every queued one
// with ErrClosed: Close gave up on them.
func (c *Committer[T, R]) shutdown(inHand []pending[T, R]) {
	err := ErrClosed
	if c.lastErr != nil {
		err = fmt.Errorf("%w: %w", ErrClosed, c.lastErr)
	}
	c.lost = len(inHand)
	fail(inHand, err)
	for {
		more, _, _ := c.q.take(c.entries[:0], c.cfg.MaxBatch)
		if len(more) == 0 {
			break
		}
		c.lost += len(more)
		fail(more, err)
		clear(more)
	}
	c.m.shutdown(c.lost)
}

func fail[T, R any](entries []pending[T, R], err error) {
	var zero R
	for _, e := range entries {
		if e.done != nil {
			e.done(zero, err)
		}
	}
}
