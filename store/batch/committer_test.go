package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// doubling commits ints through st and answers each with its double.
func doubling(st *fakeStore[int]) CommitFunc[int, int] {
	return func(ctx context.Context, items []int) ([]int, error) {
		if err := st.flush(ctx, items); err != nil {
			return nil, err
		}
		out := make([]int, len(items))
		for i, v := range items {
			out[i] = 2 * v
		}
		return out, nil
	}
}

func newTestCommitter(t *testing.T, cfg Config, commit CommitFunc[int, int]) *Committer[int, int] {
	t.Helper()
	c, err := NewCommitter(cfg, commit)
	if err != nil {
		t.Fatal(err)
	}
	c.Start()
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// outcomes records each item's callbacks.
type outcomes struct {
	mu    sync.Mutex
	calls map[int]int
	res   map[int]int
	errs  map[int]error
	n     atomic.Int64
}

func newOutcomes() *outcomes {
	return &outcomes{calls: map[int]int{}, res: map[int]int{}, errs: map[int]error{}}
}

func (o *outcomes) done(item int) func(int, error) {
	return func(r int, err error) {
		o.mu.Lock()
		o.calls[item]++
		o.res[item], o.errs[item] = r, err
		o.mu.Unlock()
		o.n.Add(1)
	}
}

// waitAll waits until n callbacks ran.
func (o *outcomes) waitAll(t *testing.T, n int) {
	t.Helper()
	checkFor(t, 10*time.Second, time.Millisecond, func() error {
		if got := o.n.Load(); got < int64(n) {
			return fmt.Errorf("%d of %d callbacks", got, n)
		}
		return nil
	})
}

// once checks that every item of 0..n-1 was told exactly once.
func (o *outcomes) once(t *testing.T, n int) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.calls) != n {
		t.Fatalf("%d items told, want %d", len(o.calls), n)
	}
	for i := range n {
		if o.calls[i] != 1 {
			t.Fatalf("item %d told %d times", i, o.calls[i])
		}
	}
}

// TestCommitterResultsMatchItems: each callback receives its own item's
// result, from concurrent submitters, committed in batches.
func TestCommitterResultsMatchItems(t *testing.T) {
	st := newFakeStore[int]()
	cfg := fastRetry("results")
	cfg.MaxBatch = 32
	c := newTestCommitter(t, cfg, doubling(st))
	o := newOutcomes()
	const producers, each = 4, 250
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				c.Submit(p*each+i, o.done(p*each+i))
			}
		})
	}
	wg.Wait()
	o.waitAll(t, producers*each)
	o.once(t, producers*each)
	for i := range producers * each {
		if o.errs[i] != nil || o.res[i] != 2*i {
			t.Fatalf("item %d: %d, %v", i, o.res[i], o.errs[i])
		}
	}
	if s := c.Stats(); s.Written != producers*each || s.Failed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestCommitterGroupsUnderLoad: items submitted while a commit is in
// flight are committed together, in order, and told after their batch.
func TestCommitterGroupsUnderLoad(t *testing.T) {
	st := newFakeStore[int]()
	st.hold()
	c := newTestCommitter(t, fastRetry("group"), doubling(st))
	o := newOutcomes()
	c.Submit(0, o.done(0))
	st.waitEntered(t)
	for i := 1; i < 50; i++ {
		c.Submit(i, o.done(i))
	}
	if n := o.n.Load(); n != 0 {
		t.Fatalf("%d callbacks before any commit", n)
	}
	st.unhold()
	o.waitAll(t, 50)
	o.once(t, 50)
	if got := st.batchSizes(); !slices.Equal(got, []int{1, 49}) {
		t.Fatalf("batch sizes %v", got)
	}
	if got := st.written(); !slices.Equal(got, seq(50)) {
		t.Fatalf("order %v", got)
	}
}

// TestCommitterRetriesThenCommits: a commit that fails a few times is
// retried with the same batch and every item gets its result.
func TestCommitterRetriesThenCommits(t *testing.T) {
	st := newFakeStore[int]()
	st.failNext = 3
	c := newTestCommitter(t, fastRetry("retry"), doubling(st))
	o := newOutcomes()
	for i := range 10 {
		c.Submit(i, o.done(i))
	}
	o.waitAll(t, 10)
	o.once(t, 10)
	for i := range 10 {
		if o.errs[i] != nil || o.res[i] != 2*i {
			t.Fatalf("item %d: %d, %v", i, o.res[i], o.errs[i])
		}
	}
	if got := st.written(); !slices.Equal(got, seq(10)) {
		t.Fatalf("written %v", got)
	}
	if s := c.Stats(); s.Failures != 3 {
		t.Fatalf("stats %+v", s)
	}
}

// TestCommitterGivesUpAfterRetryFor: a commit failing for RetryFor fails
// its items with ErrGaveUp (and the store's error), once each, and the
// next batch is tried afresh.
func TestCommitterGivesUpAfterRetryFor(t *testing.T) {
	st := newFakeStore[int]()
	st.setFailing(true)
	st.hold()
	reg := prometheus.NewRegistry()
	cfg := fastRetry("giveup")
	cfg.RetryFor = 30 * time.Millisecond
	cfg.Metrics = NewMetrics(reg)
	c := newTestCommitter(t, cfg, doubling(st))
	o := newOutcomes()
	start := time.Now()
	for i := range 3 {
		c.Submit(i, o.done(i))
	}
	st.waitEntered(t)
	st.unhold()
	o.waitAll(t, 3)
	if d := time.Since(start); d < cfg.RetryFor {
		t.Fatalf("gave up after %v, before RetryFor", d)
	}
	o.once(t, 3)
	for i := range 3 {
		if err := o.errs[i]; !errors.Is(err, ErrGaveUp) || !errors.Is(err, errDown) {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	if s := c.Stats(); s.Failed != 3 || s.Written != 0 || s.Failures < 2 {
		t.Fatalf("stats %+v", s)
	}
	if v := metricValue(t, reg, "homeroom_batch_items_dropped_total",
		map[string]string{"writer": "giveup", "reason": "gave_up"}); v != 3 {
		t.Fatalf("gave_up metric %v", v)
	}

	st.setFailing(false)
	r, err := c.SubmitWait(context.Background(), 21)
	if r != 42 || err != nil {
		t.Fatalf("after the outage: %d, %v", r, err)
	}
}

// TestCommitterQueueFull: a full queue fails the submission at once, on
// the caller's goroutine, with ErrQueueFull.
func TestCommitterQueueFull(t *testing.T) {
	st := newFakeStore[int]()
	st.hold()
	cfg := fastRetry("cfull")
	cfg.QueueSize = 2
	c := newTestCommitter(t, cfg, doubling(st))
	o := newOutcomes()
	c.Submit(0, o.done(0))
	st.waitEntered(t)
	c.Submit(1, o.done(1))
	c.Submit(2, o.done(2))
	c.Submit(3, o.done(3)) // told before Submit returns
	o.mu.Lock()
	err, calls := o.errs[3], o.calls[3]
	o.mu.Unlock()
	if calls != 1 || !errors.Is(err, ErrQueueFull) {
		t.Fatalf("item 3: %d calls, %v", calls, err)
	}
	st.unhold()
	o.waitAll(t, 4)
	o.once(t, 4)
	if s := c.Stats(); s.Dropped != 1 || s.Written != 3 {
		t.Fatalf("stats %+v", s)
	}
}

// TestCommitterCloseCommitsQueued: Close commits what was submitted, and
// a later Submit fails with ErrClosed.
func TestCommitterCloseCommitsQueued(t *testing.T) {
	st := newFakeStore[int]()
	c, err := NewCommitter(fastRetry("cclose"), doubling(st))
	if err != nil {
		t.Fatal(err)
	}
	o := newOutcomes()
	for i := range 20 {
		c.Submit(i, o.done(i))
	}
	c.Start()
	if lost, err := c.Close(context.Background()); lost != 0 || err != nil {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	o.once(t, 20) // all told before Close returned
	c.Submit(20, o.done(20))
	if err := o.errs[20]; !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit after Close: %v", err)
	}
	if _, err := c.SubmitWait(context.Background(), 21); !errors.Is(err, ErrClosed) {
		t.Fatalf("SubmitWait after Close: %v", err)
	}
}

// TestCommitterCloseWithDeadStore: when Close's context ends against a
// dead store, every item left is failed with ErrClosed, exactly once,
// and counted.
func TestCommitterCloseWithDeadStore(t *testing.T) {
	st := newFakeStore[int]()
	st.setFailing(true)
	cfg := fastRetry("cdead")
	cfg.MaxBatch = 3
	c := newTestCommitter(t, cfg, doubling(st))
	o := newOutcomes()
	for i := range 10 {
		c.Submit(i, o.done(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	lost, err := c.Close(ctx)
	if lost != 10 || !errors.Is(err, errDown) {
		t.Fatalf("Close: %d lost, %v", lost, err)
	}
	o.once(t, 10)
	for i := range 10 {
		if err := o.errs[i]; !errors.Is(err, ErrClosed) {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	if s := c.Stats(); s.Lost != 10 || s.Queued != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestCommitterWrongResultCount: a commit answering with the wrong number
// of results fails the batch with ErrResultCount, without retrying.
func TestCommitterWrongResultCount(t *testing.T) {
	var calls atomic.Int64
	c := newTestCommitter(t, fastRetry("count"), func(ctx context.Context, items []int) ([]int, error) {
		calls.Add(1)
		return make([]int, len(items)+1), nil
	})
	if _, err := c.SubmitWait(context.Background(), 1); !errors.Is(err, ErrResultCount) {
		t.Fatalf("SubmitWait: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d commits", n)
	}
	if s := c.Stats(); s.Failed != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// TestSubmitWaitHonoursContext: SubmitWait returns when its context ends
// even if the commit has not.
func TestSubmitWaitHonoursContext(t *testing.T) {
	st := newFakeStore[int]()
	st.hold()
	c := newTestCommitter(t, fastRetry("wait"), doubling(st))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.SubmitWait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SubmitWait: %v", err)
	}
	st.unhold()
	if r, err := c.SubmitWait(context.Background(), 2); r != 4 || err != nil {
		t.Fatalf("SubmitWait: %d, %v", r, err)
	}
}
