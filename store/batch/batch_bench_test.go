package batch

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

// benchItem is about the size of a small record (an analytics event).
type benchItem struct {
	session, user, kind string
	at                  time.Time
}

// BenchmarkWriterAdd measures Add, the cost a session pays per record,
// against a store that takes no time. Items the queue could not hold are
// reported as drops/op.
func BenchmarkWriterAdd(b *testing.B) {
	w, err := NewWriter(fastRetry("bench"), func(context.Context, []benchItem) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	w.Start()
	item := benchItem{session: "s-1", user: "u-1", kind: "chat", at: time.Now()}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.Add(item)
	}
	b.StopTimer()
	if _, err := w.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	s := w.Stats()
	b.ReportMetric(float64(s.Dropped)/float64(b.N), "drops/op")
	b.ReportMetric(float64(s.Written)/float64(max(s.Batches, 1)), "items/batch")
}

// BenchmarkWriterAddParallel is Add from many sessions at once.
func BenchmarkWriterAddParallel(b *testing.B) {
	w, err := NewWriter(fastRetry("bench"), func(context.Context, []benchItem) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	w.Start()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		item := benchItem{session: "s-1", user: "u-1", kind: "chat", at: time.Now()}
		for pb.Next() {
			w.Add(item)
		}
	})
	b.StopTimer()
	if _, err := w.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	s := w.Stats()
	b.ReportMetric(float64(s.Dropped)/float64(b.N), "drops/op")
}

// BenchmarkCommitter is a submission's whole round trip through group
// commit with a no-op commit: Submit, batching, and the callback. The
// submitter backs off when the queue is full, so every item is committed.
func BenchmarkCommitter(b *testing.B) {
	c, err := NewCommitter(fastRetry("bench"), func(_ context.Context, items []benchItem) ([]int, error) {
		return make([]int, len(items)), nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c.Start()
	var wg sync.WaitGroup
	full := false
	done := func(_ int, err error) {
		if err == ErrQueueFull {
			full = true // on the submitter's goroutine
			return
		}
		if err != nil {
			b.Error(err)
		}
		wg.Done()
	}
	item := benchItem{session: "s-1", user: "u-1", kind: "poll_answer", at: time.Now()}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		wg.Add(1)
		for {
			full = false
			c.Submit(item, done)
			if !full {
				break
			}
			runtime.Gosched()
		}
	}
	wg.Wait()
	b.StopTimer()
	if _, err := c.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	s := c.Stats()
	b.ReportMetric(float64(s.Written)/float64(max(s.Batches, 1)), "items/batch")
}

// BenchmarkCommitterSubmitWait is many clients each waiting for their
// acknowledgement, the way answers to a poll arrive.
func BenchmarkCommitterSubmitWait(b *testing.B) {
	c, err := NewCommitter(fastRetry("bench"), func(_ context.Context, items []benchItem) ([]int, error) {
		return make([]int, len(items)), nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c.Start()
	b.ReportAllocs()
	b.SetParallelism(64)
	b.RunParallel(func(pb *testing.PB) {
		item := benchItem{session: "s-1", user: "u-1", kind: "poll_answer", at: time.Now()}
		for pb.Next() {
			if _, err := c.SubmitWait(context.Background(), item); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if _, err := c.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	s := c.Stats()
	b.ReportMetric(float64(s.Written)/float64(max(s.Batches, 1)), "items/batch")
}
