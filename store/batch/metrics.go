package batch

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the instruments writers and committers report to, labelled
// by writer (Config.Name). Build them once with NewMetrics and share them
// among queues; a nil *Metrics is allowed and records nothing.
type Metrics struct {
	QueueDepth *prometheus.GaugeVec   // items waiting, by writer
	WriteLag   *prometheus.GaugeVec   // age of the oldest unwritten item at each attempt, by writer
	Written    *prometheus.CounterVec // items written, by writer
	Batches    *prometheus.CounterVec // successful flushes, by writer
	Failures   *prometheus.CounterVec // failed flush attempts, by writer
	Dropped    *prometheus.CounterVec // items not written, by writer and reason
}

// Reasons an item was not written, the values of Dropped's reason label.
const (
	reasonQueueFull = "queue_full" // refused: the queue was full
	reasonClosed    = "closed"     // refused: added after Close
	reasonGaveUp    = "gave_up"    // Committer: failed after RetryFor
	reasonShutdown  = "shutdown"   // still queued when Close gave up
)

// NewMetrics creates the instruments and registers them with reg (nil:
// not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	by := []string{"writer"}
	m := &Metrics{
		QueueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "homeroom_batch_queue_depth", Help: "Items waiting in a batch writer's queue."}, by),
		WriteLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "homeroom_batch_write_lag_seconds",
			Help: "Age of the oldest item not yet written, at the writer's latest flush attempt; 0 when idle."}, by),
		Written: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_batch_items_written_total", Help: "Items a batch writer wrote to the store."}, by),
		Batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_batch_batches_total", Help: "Batches a batch writer wrote to the store."}, by),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_batch_flush_failures_total", Help: "Failed batch writes (each is retried)."}, by),
		Dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_batch_items_dropped_total",
			Help: "Items a batch writer did not write, by reason (queue_full, closed, gave_up, shutdown)."},
			[]string{"writer", "reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.QueueDepth, m.WriteLag, m.Written, m.Batches, m.Failures, m.Dropped)
	}
	return m
}

// Stats are a queue's figures since it was created: the numbers its
// metrics report.
type Stats struct {
	Queued   int           // items waiting in the queue
	InFlight int           // items in the batch being written
	Lag      time.Duration // age of the oldest item not yet written; 0 when none
	Written  uint64        // items written (committed)
	Batches  uint64        // successful flushes (commits)
	Failures uint64        // failed attempts, each retried or given up
	Dropped  uint64        // items refused: queue full, or added after Close
	Failed   uint64        // Committer: items failed after RetryFor or with ErrResultCount
	Lost     uint64        // items unwritten when Close gave up
}

// meter keeps one queue's figures and reports them to its instruments.
// The counters are written by the queue's goroutine, except dropped,
// which producers write.
type meter struct {
	written, batches, failures, dropped, failed, lost atomic.Uint64
	inFlight                                          atomic.Int64
	inFlightAt                                        atomic.Int64 // queue clock; valid while inFlight > 0

	depth, lag                              prometheus.Gauge // nil without Metrics
	cWritten, cBatches, cFailures           prometheus.Counter
	cQueueFull, cClosed, cGaveUp, cShutdown prometheus.Counter
}

func newMeter(m *Metrics, name string) *meter {
	mt := &meter{}
	if m == nil {
		return mt
	}
	mt.depth = m.QueueDepth.WithLabelValues(name)
	mt.lag = m.WriteLag.WithLabelValues(name)
	mt.cWritten = m.Written.WithLabelValues(name)
	mt.cBatches = m.Batches.WithLabelValues(name)
	mt.cFailures = m.Failures.WithLabelValues(name)
	mt.cQueueFull = m.Dropped.WithLabelValues(name, reasonQueueFull)
	mt.cClosed = m.Dropped.WithLabelValues(name, reasonClosed)
	mt.cGaveUp = m.Dropped.WithLabelValues(name, reasonGaveUp)
	mt.cShutdown = m.Dropped.WithLabelValues(name, reasonShutdown)
	return mt
}

func add(c prometheus.Counter, n int) {
	if c != nil {
		c.Add(float64(n))
	}
}

// attempt records the start of a write of n items, the oldest pushed at
// `oldest` in the queue clock, `lag` ago.
func (m *meter) attempt(n int, oldest int64, lag time.Duration) {
	m.inFlightAt.Store(oldest)
	m.inFlight.Store(int64(n))
	if m.lag != nil {
		m.lag.Set(lag.Seconds())
	}
}

// idle records that nothing is being written or waiting.
func (m *meter) idle() {
	m.inFlight.Store(0)
	if m.lag != nil {
		m.lag.Set(0)
	}
}

func (m *meter) wrote(n int) {
	m.inFlight.Store(0)
	m.written.Add(uint64(n))
	m.batches.Add(1)
	add(m.cWritten, n)
	add(m.cBatches, 1)
}

func (m *meter) failure() {
	m.failures.Add(1)
	add(m.cFailures, 1)
}

// refused counts an item refused by a full or closed queue.
func (m *meter) refused(r pushResult) {
	m.dropped.Add(1)
	if r == pushClosed {
		add(m.cClosed, 1)
	} else {
		add(m.cQueueFull, 1)
	}
}

func (m *meter) gaveUp(n int) {
	m.inFlight.Store(0)
	m.failed.Add(uint64(n))
	add(m.cGaveUp, n)
}

func (m *meter) shutdown(n int) {
	m.inFlight.Store(0)
	m.lost.Add(uint64(n))
	add(m.cShutdown, n)
}

func (m *meter) stats(queued int, oldest int64, haveOldest bool, now int64) Stats {
	s := Stats{
		Queued:   queued,
		InFlight: int(m.inFlight.Load()),
		Written:  m.written.Load(),
		Batches:  m.batches.Load(),
		Failures: m.failures.Load(),
		Dropped:  m.dropped.Load(),
		Failed:   m.failed.Load(),
		Lost:     m.lost.Load(),
	}
	if s.InFlight > 0 {
		oldest, haveOldest = m.inFlightAt.Load(), true
	}
	if haveOldest {
		s.Lag = time.Duration(max(now-oldest, 0))
	}
	return s
}
