package batch

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// FlushFunc writes a batch of items to the store. It is called from the
// writer's goroutine, one batch at a time, in queue order, and again with
// the same items after an error, so it must be idempotent (a batch may
// have been written before the error was seen). It must return when ctx
// ends and must not keep items after it returns.
type FlushFunc[T any] func(ctx context.Context, items []T) error

// Writer writes items to the store in batches, off the caller's path: Add
// queues an item and returns at once, and one goroutine hands what is
// queued to the flush function, up to Config.MaxBatch items at a time, as
// soon as it is there. While a flush is in flight the next items queue up,
// so batches grow with the load and an idle writer adds no delay.
//
// A failing flush is retried, with the same batch, under exponential
// backoff with full jitter, until it succeeds or Close gives up; items
// queue behind it up to Config.QueueSize and are dropped past it, so a
// database outage costs the newest records rather than the live path.
//
// All methods are safe for concurrent use.
type Writer[T any] struct {
	cfg   Config
	flush FlushFunc[T]
	q     *queue[T]
	m     *meter
	drops dropLog
	life  lifecycle

	batch   []T   // reused between flushes; the goroutine's
	lastErr error // the latest flush error; the goroutine's until done
	lost    int   // set by the goroutine before done closes

	// progress is closed and replaced whenever a batch is written, for
	// Flush; written counts the items written, in queue order.
	progressMu sync.Mutex
	progress   chan struct{}
	written    uint64
}

// NewWriter returns a writer that calls flush; Start starts it.
func NewWriter[T any](cfg Config, flush FlushFunc[T]) (*Writer[T], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if flush == nil {
		return nil, fmt.Errorf("batch: writer %q has no flush function", cfg.Name)
	}
	cfg = cfg.withDefaults()
	m := newMeter(cfg.Metrics, cfg.Name)
	return &Writer[T]{
		cfg:      cfg,
		flush:    flush,
		q:        newQueue[T](cfg.QueueSize, m.depth),
		m:        m,
		life:     newLifecycle(),
		progress: make(chan struct{}),
	}, nil
}

// Start starts the writer's goroutine; items added before are kept.
// Calling it again does nothing.
func (w *Writer[T]) Start() { w.life.start(w.run) }

// Add queues item to be written and reports whether it was queued. It
// never blocks: when the queue is full, or after Close, the item is
// dropped and counted (and a full queue is logged at most every 10 s).
func (w *Writer[T]) Add(item T) bool {
	r := w.q.push(item)
	if r == pushed {
		return true
	}
	w.m.refused(r)
	if r == pushFull {
		w.drops.dropped(w.cfg.Logger, w.cfg.Name, w.m.dropped.Load())
	}
	return false
}

// Close stops taking items and writes those queued, retrying failures,
// until they are all written or ctx ends. Then it cancels the flush in
// flight, waits for the goroutine to return, and reports how many items
// were not written (with an error saying why when there were any). Close
// may be called more than once; every call reports the same outcome.
func (w *Writer[T]) Close(ctx context.Context) (lost int, err error) {
	w.q.close()
	w.life.finish(ctx, w.run)
	w.drops.flushLog(w.cfg.Logger, w.cfg.Name, w.m.dropped.Load())
	if w.lost == 0 {
		return 0, nil
	}
	return w.lost, lostError("writer", w.cfg.Name, w.lost, w.lastErr)
}

// Flush waits until every item queued before the call has been written.
// It returns ctx's error when ctx ends first and ErrClosed when the writer
// stopped before writing them. Items added meanwhile do not delay it, so
// it returns even while producers keep the writer busy.
func (w *Writer[T]) Flush(ctx context.Context) error {
	target := w.q.pushed()
	for {
		w.progressMu.Lock()
		written, progress := w.written, w.progress
		w.progressMu.Unlock()
		if written >= target {
			return nil
		}
		select {
		case <-progress:
		case <-w.life.done:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// wrote records that n more items, in queue order, are written.
func (w *Writer[T]) wrote(n int) {
	w.progressMu.Lock()
	w.written += uint64(n)
	close(w.progress)
	w.progress = make(chan struct{})
	w.progressMu.Unlock()
}

// Stats returns the writer's figures.
func (w *Writer[T]) Stats() Stats {
	oldest, ok := w.q.oldest()
	return w.m.stats(w.q.len(), oldest, ok, w.q.now())
}

func (w *Writer[T]) run() {
	for {
		batch, oldest, done := w.q.take(w.batch[:0], w.cfg.MaxBatch)
		w.batch = batch
		if done {
			w.m.idle()
			return
		}
		if w.life.abort.Err() != nil {
			w.lost = len(batch) + w.q.discard()
			clear(batch)
			w.m.shutdown(w.lost)
			return
		}
		if len(batch) == 0 {
			w.m.idle()
			select {
			case <-w.q.ready:
			case <-w.life.abort.Done():
			}
			continue
		}
		ok := w.write(batch, oldest)
		clear(batch)
		if !ok {
			w.lost = len(batch) + w.q.discard()
			w.m.shutdown(w.lost)
			return
		}
	}
}

// write flushes items until it succeeds (true) or the writer is aborted
// (false).
func (w *Writer[T]) write(items []T, oldest int64) bool {
	bo := backoff{min: w.cfg.MinBackoff, max: w.cfg.MaxBackoff}
	for attempt := 1; ; attempt++ {
		w.m.attempt(len(items), oldest, time.Duration(w.q.now()-oldest))
		ctx, cancel := context.WithTimeout(w.life.abort, w.cfg.FlushTimeout)
		err := w.flush(ctx, items)
		cancel()
		if err == nil {
			w.m.wrote(len(items))
			w.wrote(len(items))
			if attempt > 1 {
				w.cfg.Logger.Info("batch writer writes again", "writer", w.cfg.Name, "attempts", attempt)
			}
			return true
		}
		w.lastErr = err
		w.m.failure()
		if attempt == 1 {
			w.cfg.Logger.Error("failed to write batch; retrying", "writer", w.cfg.Name, "items", len(items), "err", err)
		}
		if !sleep(w.life.abort, bo.next()) {
			return false
		}
	}
}
