package batch

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// checkFor calls f every `every` until it returns nil, failing the test
// with f's last error after total.
func checkFor(t testing.TB, total, every time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(every)
	}
}

var errDown = errors.New("database is down")

// fakeStore records what it was asked to write. It fails while failing is
// set or for the next failNext attempts, and when held, every call waits
// for release (or its context) after signalling entered.
type fakeStore[T any] struct {
	mu       sync.Mutex
	batches  [][]T // successful writes, in order
	attempts [][]T // every call, in order
	failNext int
	failing  bool
	held     bool
	release  chan struct{}
	entered  chan struct{}
}

func newFakeStore[T any]() *fakeStore[T] {
	return &fakeStore[T]{release: make(chan struct{}), entered: make(chan struct{}, 1<<16)}
}

// hold makes calls wait until unhold.
func (s *fakeStore[T]) hold() {
	s.mu.Lock()
	s.held = true
	s.mu.Unlock()
}

func (s *fakeStore[T]) unhold() {
	s.mu.Lock()
	s.held = false
	s.mu.Unlock()
	close(s.release)
}

func (s *fakeStore[T]) setFailing(f bool) {
	s.mu.Lock()
	s.failing = f
	s.mu.Unlock()
}

func (s *fakeStore[T]) flush(ctx context.Context, items []T) error {
	s.mu.Lock()
	held := s.held
	s.mu.Unlock()
	if held {
		s.entered <- struct{}{}
		select {
		case <-s.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts = append(s.attempts, slices.Clone(items))
	if s.failing || s.failNext > 0 {
		s.failNext--
		return errDown
	}
	s.batches = append(s.batches, slices.Clone(items))
	return nil
}

// written returns every item written, in order.
func (s *fakeStore[T]) written() []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []T
	for _, b := range s.batches {
		all = append(all, b...)
	}
	return all
}

func (s *fakeStore[T]) batchSizes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n []int
	for _, b := range s.batches {
		n = append(n, len(b))
	}
	return n
}

func (s *fakeStore[T]) attemptList() [][]T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.attempts)
}

// waitEntered waits until a held call has started.
func (s *fakeStore[T]) waitEntered(t testing.TB) {
	t.Helper()
	select {
	case <-s.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the store was never called")
	}
}

// fastRetry is a config for tests: small backoffs and a discarding logger.
func fastRetry(name string) Config {
	return Config{
		Name:       name,
		MinBackoff: time.Millisecond,
		MaxBackoff: 5 * time.Millisecond,
		Logger:     slog.New(slog.DiscardHandler),
	}
}

// recordingHandler keeps the messages of the records logged.
type recordingHandler struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	h.recs = append(h.recs, r.Clone())
	h.mu.Unlock()
	return nil
}
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler      { return h }

// count returns how many records had message msg.
func (h *recordingHandler) count(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.recs {
		if r.Message == msg {
			n++
		}
	}
	return n
}

// metricValue returns the value of the gathered metric name whose labels
// include want, or -1 if there is none.
func metricValue(t testing.TB, g prometheus.Gatherer, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			for k, v := range want {
				if labels[k] != v {
					continue metrics
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

// seq returns 0..n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
