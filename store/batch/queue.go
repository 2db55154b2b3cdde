package batch

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// pushResult is what became of a pushed entry.
type pushResult int

const (
	pushed pushResult = iota
	pushFull
	pushClosed
)

// queue is a bounded FIFO with many producers and one consumer. Producers
// never wait: push refuses when the queue is full or closed. The consumer
// waits on ready, a one-slot channel that every push and the close fill,
// so no wake-up is lost between its take and its wait.
//
// The ring starts small and grows up to max. When it drains, a large ring
// is released if the queue's peak since the last drain used less than a
// quarter of it, so an idle queue holds little memory after a burst while
// a busy one does not reallocate on every drain.
type queue[E any] struct {
	ready chan struct{}
	epoch time.Time
	max   int
	depth prometheus.Gauge // nil: not reported

	mu     sync.Mutex
	buf    []E
	at     []int64 // when each entry was pushed, in ns since epoch
	head   int
	n      int
	peak   int // largest n since the last drain
	closed bool
	pushes uint64 // entries ever pushed, in queue order
}

const (
	initialRing = 64
	keptRing    = 1024 // a drained ring up to this size is always kept
)

func newQueue[E any](max int, depth prometheus.Gauge) *queue[E] {
	return &queue[E]{ready: make(chan struct{}, 1), epoch: time.Now(), max: max, depth: depth}
}

// now is the current time in the queue's clock.
func (q *queue[E]) now() int64 { return int64(time.Since(q.epoch)) }

func (q *queue[E]) push(e E) pushResult {
	now := q.now()
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return pushClosed
	}
	if q.n >= q.max {
		q.mu.Unlock()
		return pushFull
	}
	if q.n == len(q.buf) {
		q.grow()
	}
	i := q.head + q.n
	if i >= len(q.buf) {
		i -= len(q.buf)
	}
	q.buf[i], q.at[i] = e, now
	q.n++
	q.pushes++
	q.peak = max(q.peak, q.n)
	q.setDepth()
	q.mu.Unlock()
	q.signal()
	return pushed
}

func (q *queue[E]) grow() {
	size := min(max(2*len(q.buf), initialRing), q.max)
	buf, at := make([]E, size), make([]int64, size)
	for i := range q.n {
		j := (q.head + i) % len(q.buf)
		buf[i], at[i] = q.buf[j], q.at[j]
	}
	q.buf, q.at, q.head = buf, at, 0
}

// take appends up to limit entries, oldest first, to dst. oldest is when
// the first of them was pushed. done is true when the queue is closed and
// empty: nothing will ever come again.
func (q *queue[E]) take(dst []E, limit int) (out []E, oldest int64, done bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return dst, 0, q.closed
	}
	oldest = q.at[q.head]
	for want := min(limit, q.n); want > 0; {
		seg := q.buf[q.head:min(q.head+want, len(q.buf))] // up to the ring's end
		dst = append(dst, seg...)
		clear(seg) // let the collector have the items once written
		q.head = (q.head + len(seg)) % len(q.buf)
		q.n -= len(seg)
		want -= len(seg)
	}
	if q.n == 0 {
		q.head = 0
		if len(q.buf) > keptRing && q.peak < len(q.buf)/4 {
			q.buf, q.at = nil, nil
		}
		q.peak = 0
	}
	q.setDepth()
	return dst, oldest, false
}

// oldest reports when the oldest queued entry was pushed.
func (q *queue[E]) oldest() (at int64, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return 0, false
	}
	return q.at[q.head], true
}

func (q *queue[E]) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// close refuses further pushes and wakes the consumer; entries already
// queued stay to be taken.
func (q *queue[E]) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *queue[E]) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// setDepth reports the length; the caller holds mu, so reports are in
// order.
func (q *queue[E]) setDepth() {
	if q.depth != nil {
		q.depth.Set(float64(q.n))
	}
}

// discard empties the queue and returns how many entries it held.
func (q *queue[E]) discard() int {
	var zero E
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.n
	for range n {
		q.buf[q.head] = zero
		q.head = (q.head + 1) % len(q.buf)
	}
	q.n, q.head = 0, 0
	q.setDepth()
	return n
}

// pushed returns how many entries were ever pushed: the position, in
// queue order, of the latest one.
func (q *queue[E]) pushed() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushes
}
