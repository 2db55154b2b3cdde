package rooms

import (
	"time"

	"github.com/homeroom-edu/homeroom/store/batch"
	"github.com/homeroom-edu/homeroom/sync/wire"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the instruments live sessions report to. Build them with
// NewMetrics; a nil *Metrics is allowed and records nothing.
type Metrics struct {
	Sessions        prometheus.Gauge
	Members         prometheus.Gauge
	Joins           *prometheus.CounterVec // by join mode
	ChangesApplied  prometheus.Counter
	ChangesRejected *prometheus.CounterVec // by error code
	RosterCommits   prometheus.Counter
	SnapshotSaves   prometheus.Counter
	SnapshotSeconds prometheus.Observer
	StoreWrites     *prometheus.CounterVec // by kind: changes, document
	StoreFailures   prometheus.Counter
	StoreQueueFull  prometheus.Counter
	StoreLag        prometheus.Observer
	VideoErrors     *prometheus.CounterVec // video errors reported by clients, by code
	VideoErrorRate  *prometheus.GaugeVec   // share of a session's participants reporting video errors, by session
	ChatMessages    prometheus.Counter
	PollAnswers     *prometheus.CounterVec // by outcome: stored, duplicate, already_answered, failed

	reg   prometheus.Registerer
	batch *batch.Metrics // the activity writers' queues
}

// NewMetrics creates the session instruments and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	snap := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "homeroom_snapshot_seconds",
		Help:    "Time to save a session document for the join snapshot cache.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
	})
	m := &Metrics{
		Sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "homeroom_sessions_live", Help: "Live sessions loaded on this node."}),
		Members: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "homeroom_session_members", Help: "Members joined to live sessions on this node."}),
		Joins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_joins_total", Help: "Joins by mode (snapshot, changes, sync)."}, []string{"mode"}),
		ChangesApplied: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_changes_applied_total", Help: "Document changes applied, from clients and the server."}),
		ChangesRejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_changes_rejected_total", Help: "Client changes frames refused, by error code."}, []string{"code"}),
		RosterCommits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_roster_commits_total", Help: "Batched server-written roster changes."}),
		SnapshotSaves: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_snapshot_saves_total", Help: "Join snapshots saved."}),
		SnapshotSeconds: snap,
		StoreWrites: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_store_writes_total", Help: "Session document writes to the store, by kind (changes, document)."}, []string{"kind"}),
		StoreFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_store_write_failures_total", Help: "Failed session document writes (each is retried)."}),
		StoreQueueFull: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_store_queue_full_total", Help: "Times a session kept its changes in memory because the store queue was full."}),
		reg: reg,
	}
	lag := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "homeroom_store_write_lag_seconds",
		Help:    "Time from a session handing a document write to the writer to the store committing it.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
	})
	m.StoreLag = lag
	m.VideoErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homeroom_video_errors_total", Help: "Video provider errors reported by clients, by code."}, []string{"code"})
	m.VideoErrorRate = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "homeroom_session_video_error_rate",
		Help: "Share of a live session's participants who reported a video error in the last window."}, []string{"session"})
	m.ChatMessages = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_chat_messages_total", Help: "Chat messages delivered (retries not counted)."})
	m.PollAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "homeroom_poll_answers_total", Help: "Poll answers by outcome (stored, duplicate, already_answered, failed)."}, []string{"outcome"})
	m.batch = batch.NewMetrics(reg)
	if reg != nil {
		reg.MustRegister(m.VideoErrors, m.VideoErrorRate, m.ChatMessages, m.PollAnswers)
		reg.MustRegister(m.Sessions, m.Members, m.Joins, m.ChangesApplied, m.ChangesRejected,
			m.RosterCommits, m.SnapshotSaves, snap, m.StoreWrites, m.StoreFailures, m.StoreQueueFull, lag)
	}
	return m
}

func (m *Metrics) sessionUp() {
	if m != nil {
		m.Sessions.Inc()
	}
}

func (m *Metrics) sessionDown() {
	if m != nil {
		m.Sessions.Dec()
	}
}

func (m *Metrics) memberUp(mode string) {
	if m != nil {
		m.Members.Inc()
		m.Joins.WithLabelValues(mode).Inc()
	}
}

func (m *Metrics) memberDown() {
	if m != nil {
		m.Members.Dec()
	}
}

func (m *Metrics) applied(n int) {
	if m != nil {
		m.ChangesApplied.Add(float64(n))
	}
}

func (m *Metrics) rejected(code wire.Code) {
	if m != nil {
		m.ChangesRejected.WithLabelValues(string(code)).Inc()
	}
}

func (m *Metrics) rosterCommit() {
	if m != nil {
		m.RosterCommits.Inc()
	}
}

func (m *Metrics) snapshot(d time.Duration) {
	if m != nil {
		m.SnapshotSaves.Inc()
		m.SnapshotSeconds.Observe(d.Seconds())
	}
}

func (m *Metrics) persisted(document bool, lag time.Duration) {
	if m != nil {
		kind := "changes"
		if document {
			kind = "document"
		}
		m.StoreWrites.WithLabelValues(kind).Inc()
		m.StoreLag.Observe(lag.Seconds())
	}
}

// watchQueue exposes the document writer's queue depth.
func (m *Metrics) watchQueue(depth func() float64) {
	if m != nil && m.reg != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "homeroom_store_queue_depth", Help: "Session document writes waiting for the store."}, depth))
	}
}

func (m *Metrics) persistFailed() {
	if m != nil {
		m.StoreFailures.Inc()
	}
}

func (m *Metrics) persistQueueFull() {
	if m != nil {
		m.StoreQueueFull.Inc()
	}
}

func (m *Metrics) videoError(code string) {
	if m != nil {
		m.VideoErrors.WithLabelValues(code).Inc()
	}
}

func (m *Metrics) videoErrorRate(session string, rate float64) {
	if m != nil {
		m.VideoErrorRate.WithLabelValues(session).Set(rate)
	}
}

// sessionGone drops the per-session series of a session that unloaded.
func (m *Metrics) sessionGone(session string) {
	if m != nil {
		m.VideoErrorRate.DeleteLabelValues(session)
	}
}

func (m *Metrics) chatMessage() {
	if m != nil {
		m.ChatMessages.Inc()
	}
}

func (m *Metrics) pollAnswer(outcome string) {
	if m != nil {
		m.PollAnswers.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) batchMetrics() *batch.Metrics {
	if m == nil {
		return nil
	}
	return m.batch
}
