package batch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func newTestWriter(t *testing.T, cfg Config, st *fakeStore[int]) *Writer[int] {
	t.Helper()
	w, err := NewWriter(cfg, st.flush)
	if err != nil {
		t.Fatal(err)
	}
	w.Start()
	t.Cleanup(func() { w.Close(context.Background()) })
	return w
}

// TestWriterFlushesAtOnceWhenIdle: an idle writer writes a lone item
// without waiting for company.
func TestWriterFlushesAtOnceWhenIdle(t *testing.T) {
	st := newFakeStore[int]()
	w := newTestWriter(t, fastRetry("idle"), st)
	w.Add(7)
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if got := st.written(); !slices.Equal(got, []int{7}) {
			return fmt.Errorf("written %v", got)
		}
		return nil
	})
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if s := w.Stats(); s.Queued != 0 || s.InFlight != 0 || s.Lag != 0 || s.Written != 1 || s.Batches != 1 {
			return fmt.Errorf("stats %+v", s)
		}
		return nil
	})
}

// TestWriterBatchesFormUnderLoad: items added while a flush is in flight
// go together in the next batch, up to MaxBatch.
func TestWriterBatchesFormUnderLoad(t *testing.T) {
	st := newFakeStore[int]()
	st.hold()
	cfg := fastRetry("load")
	cfg.MaxBatch = 40
	w := newTestWriter(t, cfg, st)
	w.Add(0)
	st.waitEntered(t) // the first flush is in flight with one item
	for i := 1; i <= 100; i++ {
		if !w.Add(i) {
			t.Fatalf("Add(%d) refused", i)
		}
	}
	if s := w.Stats(); s.Queued != 100 || s.InFlight != 1 {
		t.Fatalf("while the first flush is in flight: %+v", s)
	}
	st.unhold()
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if got := st.written(); len(got) != 101 {
			return fmt.Errorf("%d of 101 written", len(got))
		}
		return nil
	})
	if got := st.batchSizes(); !slices.Equal(got, []int{1, 40, 40, 20}) {
		t.Fatalf("batch sizes %v, want [1 40 40 20]", got)
	}
	if got := st.written(); !slices.Equal(got, seq(101)) {
		t.Fatalf("order: %v", got)
	}
}

// TestWriterBatchesWithSlowStore: against a store that takes a while per
// flush, a steady stream of items is written in batches of more than one.
func TestWriterBatchesWithSlowStore(t *testing.T) {
	var (
		mu    sync.Mutex
		sizes []int
		got   []int
	)
	w, err := NewWriter(fastRetry("slow"), func(ctx context.Context, items []int) error {
		time.Sleep(2 * time.Millisecond) // a round trip to the database
		mu.Lock()
		sizes = append(sizes, len(items))
		got = append(got, items...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Start()
	const n = 2000
	for i := range n {
		w.Add(i)
	}
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, seq(n)) {
		t.Fatal("items written out of order or not all")
	}
	if len(sizes) < 2 || slices.Max(sizes[1:]) < 2 {
		t.Fatalf("no batching: sizes %v", sizes)
	}
	if len(sizes) > n/2 {
		t.Fatalf("%d flushes for %d items", len(sizes), n)
	}
}

// TestWriterKeepsOrderOfEachProducer: items from concurrent producers are
// each written once, and each producer's in the order it added them.
func TestWriterKeepsOrderOfEachProducer(t *testing.T) {
	st := newFakeStore[int]()
	cfg := fastRetry("order")
	cfg.MaxBatch = 16
	w := newTestWriter(t, cfg, st)
	const producers, each = 4, 500
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				if !w.Add(p*each + i) {
					t.Error("Add refused")
				}
			}
		})
	}
	wg.Wait()
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	got := st.written()
	if len(got) != producers*each {
		t.Fatalf("%d written, want %d", len(got), producers*each)
	}
	next := make([]int, producers)
	for _, v := range got {
		p, i := v/each, v%each
		if i != next[p] {
			t.Fatalf("producer %d: item %d written after %d", p, i, next[p]-1)
		}
		next[p]++
	}
}

// TestWriterRetriesTheSameBatch: a failing flush is retried with the same
// batch until it succeeds; items added meanwhile queue and follow; nothing
// is lost or reordered.
func TestWriterRetriesTheSameBatch(t *testing.T) {
	st := newFakeStore[int]()
	st.failNext = 3
	st.hold()
	cfg := fastRetry("retry")
	cfg.MaxBatch = 8
	w := newTestWriter(t, cfg, st)
	for i := range 5 {
		w.Add(i)
	}
	st.waitEntered(t)
	for i := 5; i < 30; i++ {
		w.Add(i)
	}
	st.unhold()
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if got := st.written(); len(got) != 30 {
			return fmt.Errorf("%d of 30 written", len(got))
		}
		return nil
	})
	if got := st.written(); !slices.Equal(got, seq(30)) {
		t.Fatalf("written %v", got)
	}
	attempts := st.attemptList()
	for i := range 4 { // three failures, then the success
		if !slices.Equal(attempts[i], attempts[0]) {
			t.Fatalf("attempt %d flushed %v, first %v", i, attempts[i], attempts[0])
		}
	}
	if s := w.Stats(); s.Failures != 3 || s.Written != 30 || s.Dropped != 0 || s.Lost != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestWriterQueuesWhileFailing: during an outage items queue up to the
// bound, the rest are dropped and counted, and everything queued is
// written once the store is back.
func TestWriterQueuesWhileFailing(t *testing.T) {
	st := newFakeStore[int]()
	st.setFailing(true)
	cfg := fastRetry("outage")
	cfg.QueueSize = 10
	cfg.MaxBatch = 4
	w := newTestWriter(t, cfg, st)
	w.Add(0)
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if s := w.Stats(); s.Failures < 2 || s.InFlight != 1 {
			return fmt.Errorf("not retrying yet: %+v", s)
		}
		return nil
	})
	added := []int{0}
	for i := 1; i <= 15; i++ {
		if w.Add(i) {
			added = append(added, i)
		}
	}
	if len(added) != 11 {
		t.Fatalf("%d items queued behind the failing batch, want 10", len(added)-1)
	}
	if s := w.Stats(); s.Dropped != 5 || s.Queued != 10 || s.Lag <= 0 {
		t.Fatalf("stats %+v", s)
	}
	st.setFailing(false)
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if got := st.written(); !slices.Equal(got, added) {
			return fmt.Errorf("written %v, want %v", got, added)
		}
		return nil
	})
}

// TestWriterDropsWhenFullAndLogsRarely: a full queue refuses, counts each
// refusal, and logs once for a burst of them.
func TestWriterDropsWhenFullAndLogsRarely(t *testing.T) {
	st := newFakeStore[int]()
	st.hold()
	h := &recordingHandler{}
	reg := prometheus.NewRegistry()
	cfg := fastRetry("full")
	cfg.QueueSize = 4
	cfg.Logger = slog.New(h)
	cfg.Metrics = NewMetrics(reg)
	w := newTestWriter(t, cfg, st)
	w.Add(0)
	st.waitEntered(t)
	for i := 1; i <= 4; i++ {
		if !w.Add(i) {
			t.Fatalf("Add(%d) refused below the bound", i)
		}
	}
	for i := 5; i < 25; i++ {
		if w.Add(i) {
			t.Fatalf("Add(%d) accepted past the bound", i)
		}
	}
	if s := w.Stats(); s.Dropped != 20 || s.Queued != 4 {
		t.Fatalf("stats %+v", s)
	}
	if n := h.count("batch queue full; dropping items"); n != 1 {
		t.Fatalf("%d queue-full log records for one burst, want 1", n)
	}
	labels := map[string]string{"writer": "full", "reason": "queue_full"}
	if v := metricValue(t, reg, "homeroom_batch_items_dropped_total", labels); v != 20 {
		t.Fatalf("dropped metric %v", v)
	}
	if v := metricValue(t, reg, "homeroom_batch_queue_depth", map[string]string{"writer": "full"}); v != 4 {
		t.Fatalf("depth metric %v", v)
	}
	st.unhold()
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	if got := st.written(); !slices.Equal(got, seq(5)) {
		t.Fatalf("written %v", got)
	}
	if n := h.count("batch queue full; dropping items"); n != 2 {
		t.Fatalf("%d queue-full log records after Close, want 2 (the rest reported)", n)
	}
}

// TestWriterCloseFlushes: Close writes everything queued before it
// returns, and refuses what comes after.
func TestWriterCloseFlushes(t *testing.T) {
	st := newFakeStore[int]()
	cfg := fastRetry("close")
	cfg.MaxBatch = 7
	w, err := NewWriter(cfg, st.flush)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 { // before Start: kept
		w.Add(i)
	}
	w.Start()
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	if got := st.written(); !slices.Equal(got, seq(100)) {
		t.Fatalf("written %v", got)
	}
	if w.Add(100) {
		t.Fatal("Add accepted after Close")
	}
	if s := w.Stats(); s.Dropped != 1 || s.Written != 100 {
		t.Fatalf("stats %+v", s)
	}
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("second Close: %d lost, %v", lost, err)
	}
}

// TestWriterCloseNeverStarted: Close of a writer never started still
// writes what it was given.
func TestWriterCloseNeverStarted(t *testing.T) {
	st := newFakeStore[int]()
	w, err := NewWriter(fastRetry("unstarted"), st.flush)
	if err != nil {
		t.Fatal(err)
	}
	w.Add(1)
	if lost, err := w.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	if got := st.written(); !slices.Equal(got, []int{1}) {
		t.Fatalf("written %v", got)
	}
}

// TestWriterCloseWithDeadStore: against a store that never recovers,
// Close returns when its context ends and counts what it lost.
func TestWriterCloseWithDeadStore(t *testing.T) {
	st := newFakeStore[int]()
	st.setFailing(true)
	reg := prometheus.NewRegistry()
	cfg := fastRetry("dead")
	cfg.MaxBatch = 4
	cfg.Metrics = NewMetrics(reg)
	w := newTestWriter(t, cfg, st)
	for i := range 10 {
		w.Add(i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	lost, err := w.Close(ctx)
	if lost != 10 || !errors.Is(err, errDown) {
		t.Fatalf("Close: %d lost, %v; want 10 lost and the store's error", lost, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	if s := w.Stats(); s.Lost != 10 || s.Written != 0 || s.Queued != 0 || s.InFlight != 0 {
		t.Fatalf("stats %+v", s)
	}
	labels := map[string]string{"writer": "dead", "reason": "shutdown"}
	if v := metricValue(t, reg, "homeroom_batch_items_dropped_total", labels); v != 10 {
		t.Fatalf("shutdown metric %v", v)
	}
	if again, err2 := w.Close(context.Background()); again != lost || !errors.Is(err2, errDown) {
		t.Fatalf("second Close: %d, %v", again, err2)
	}
}

// TestWriterCloseCancelsAHungFlush: a flush stuck on the database is
// cancelled when Close's context ends.
func TestWriterCloseCancelsAHungFlush(t *testing.T) {
	st := newFakeStore[int]()
	st.hold() // never released: the flush waits for its context
	w := newTestWriter(t, fastRetry("hung"), st)
	w.Add(1)
	w.Add(2)
	st.waitEntered(t)
	w.Add(3)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	lost, err := w.Close(ctx)
	if lost != 3 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
}

// TestWriterMetrics: the instruments follow the writer's figures.
func TestWriterMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	st := newFakeStore[int]()
	st.failNext = 2
	cfg := fastRetry("m")
	cfg.Metrics = m
	w := newTestWriter(t, cfg, st)
	for i := range 3 {
		w.Add(i)
	}
	if _, err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := w.Stats()
	by := map[string]string{"writer": "m"}
	for name, want := range map[string]float64{
		"homeroom_batch_items_written_total":  float64(s.Written),
		"homeroom_batch_batches_total":        float64(s.Batches),
		"homeroom_batch_flush_failures_total": 2,
		"homeroom_batch_queue_depth":          0,
		"homeroom_batch_write_lag_seconds":    0,
	} {
		if got := metricValue(t, reg, name, by); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if s.Written != 3 {
		t.Errorf("written %d", s.Written)
	}
}

// TestWriterReportsLag: the write lag is the age of the oldest item not
// yet written, in Stats and in the gauge set at each attempt.
func TestWriterReportsLag(t *testing.T) {
	reg := prometheus.NewRegistry()
	st := newFakeStore[int]()
	st.setFailing(true)
	cfg := fastRetry("lag")
	cfg.Metrics = NewMetrics(reg)
	w := newTestWriter(t, cfg, st)
	w.Add(1)
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if s := w.Stats(); s.Lag < 20*time.Millisecond {
			return fmt.Errorf("lag %v", s.Lag)
		}
		if v := metricValue(t, reg, "homeroom_batch_write_lag_seconds", map[string]string{"writer": "lag"}); v < 0.02 {
			return fmt.Errorf("lag gauge %v", v)
		}
		return nil
	})
	st.setFailing(false)
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		if s := w.Stats(); s.Lag != 0 || s.Written != 1 {
			return fmt.Errorf("after the write: %+v", s)
		}
		if v := metricValue(t, reg, "homeroom_batch_write_lag_seconds", map[string]string{"writer": "lag"}); v != 0 {
			return fmt.Errorf("lag gauge %v when idle", v)
		}
		return nil
	})
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	mt := newMeter(m, "x")
	mt.attempt(1, 0, time.Second)
	mt.wrote(1)
	mt.failure()
	mt.refused(pushFull)
	mt.gaveUp(1)
	mt.shutdown(1)
	mt.idle()
	NewMetrics(nil) // unregistered instruments are usable too
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"set", Config{QueueSize: 10, MaxBatch: 100, MinBackoff: time.Second, MaxBackoff: time.Second}, true},
		{"negative queue", Config{QueueSize: -1}, false},
		{"negative batch", Config{MaxBatch: -1}, false},
		{"negative timeout", Config{FlushTimeout: -1}, false},
		{"negative retry", Config{RetryFor: -time.Second}, false},
		{"min above max", Config{MinBackoff: 10 * time.Second}, false},
	} {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v", tc.name, err)
		}
		if _, err := NewWriter(tc.cfg, func(context.Context, []int) error { return nil }); (err == nil) != tc.ok {
			t.Errorf("%s: NewWriter: %v", tc.name, err)
		}
	}
	if _, err := NewWriter[int](Config{}, nil); err == nil {
		t.Error("NewWriter without a flush function")
	}
}

func TestBackoffFullJitter(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	want := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i, ceil := range want {
		ceil *= time.Millisecond
		d := b.next()
		if d < 0 || d > ceil || b.ceil != ceil {
			t.Fatalf("wait %d: %v with ceiling %v, want at most %v", i, d, b.ceil, ceil)
		}
	}
	// The waits are spread, not all at the ceiling.
	var below int
	for range 100 {
		if b.next() < b.max/2 {
			below++
		}
	}
	if below < 20 || below > 80 {
		t.Fatalf("%d of 100 waits below half the ceiling", below)
	}
}

// TestMetricsSharedByWriters: writers sharing one Metrics report under
// their own writer label.
func TestMetricsSharedByWriters(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	for name, n := range map[string]int{"chat": 3, "events": 5} {
		cfg := fastRetry(name)
		cfg.Metrics = m
		w, err := NewWriter(cfg, func(context.Context, []int) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		w.Start()
		for i := range n {
			w.Add(i)
		}
		if _, err := w.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]float64{"chat": 3, "events": 5} {
		if got := metricValue(t, reg, "homeroom_batch_items_written_total", map[string]string{"writer": name}); got != want {
			t.Errorf("%s: written %v, want %v", name, got, want)
		}
	}
}
