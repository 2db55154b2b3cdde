package batch

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestWriterFlushWaitsForWhatWasQueued: Flush returns once the items
// queued before it are written, even while producers keep adding, and
// not before.
func TestWriterFlushWaitsForWhatWasQueued(t *testing.T) {
	st := newFakeStore[int]()
	cfg := fastRetry("flush")
	cfg.MaxBatch = 5
	w, err := NewWriter(cfg, st.flush)
	if err != nil {
		t.Fatal(err)
	}
	w.Start()
	defer w.Close(context.Background())

	st.hold()
	for i := range 20 {
		w.Add(i)
	}
	flushed := make(chan error, 1)
	go func() { flushed <- w.Flush(context.Background()) }()
	// Producers keep the writer busy; the flush must not wait for them.
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 20; !stop.Load(); i++ {
			w.Add(i)
			time.Sleep(time.Millisecond)
		}
	}()
	select {
	case err := <-flushed:
		t.Fatalf("Flush returned %v while its items were held", err)
	case <-time.After(50 * time.Millisecond):
	}
	st.unhold()
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	if got := st.written(); len(got) < 20 || !slices.Equal(got[:20], seq(20)) {
		t.Fatalf("after Flush the store has %v, want 0..19 first", got)
	}
	stop.Store(true)
	<-done
}

func TestWriterFlushEndsWithContextOrClose(t *testing.T) {
	st := newFakeStore[int]()
	w, err := NewWriter(fastRetry("flush-ctx"), st.flush)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatalf("Flush of an empty writer: %v", err)
	}
	w.Start()
	st.hold()
	w.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.Flush(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush with a held store = %v, want the deadline", err)
	}
	abort, cancelClose := context.WithCancel(context.Background())
	cancelClose()
	w.Close(abort) // gives up on the held item
	if err := w.Flush(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Flush after Close lost an item = %v, want ErrClosed", err)
	}
}
