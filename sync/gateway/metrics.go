package gateway

import (
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/sync/peer"
	"github.com/homeroom-edu/homeroom/sync/wire"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the gateway's Prometheus instruments, on a registry of their
// own so tests can run several servers in one process.
type metrics struct {
	reg            *prometheus.Registry
	connections    prometheus.Gauge
	accepted       prometheus.Counter
	refused        *prometheus.CounterVec // by reason
	closed         *prometheus.CounterVec // by close code
	framesIn       *prometheus.CounterVec // by frame type
	framesInByType [wire.TypeSynced + 1]prometheus.Counter
	badFrames      *prometheus.CounterVec // by error code
	rateLimited    prometheus.Counter
	peer           *peer.Metrics
	rooms          *rooms.Metrics
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &metrics{
		reg: reg,
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "homeroom_connections", Help: "Open WebSocket connections."}),
		accepted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_connections_accepted_total", Help: "WebSocket upgrades accepted."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_connections_refused_total", Help: "Connections refused, by reason (capacity, subprotocol, hello, join)."}, []string{"reason"}),
		closed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_connections_closed_total", Help: "Connections closed by the server, by close code."}, []string{"code"}),
		framesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_frames_in_total", Help: "Frames received from clients, by type."}, []string{"type"}),
		badFrames: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "homeroom_frames_rejected_total", Help: "Client frames answered with an error, by code."}, []string{"code"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "homeroom_rate_limited_total", Help: "Client messages dropped by the per-connection rate limit."}),
	}
	messagesOut := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_messages_out_total", Help: "WebSocket messages written (each may carry several frames)."})
	framesOut := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_frames_out_total", Help: "Frames written to clients."})
	bytesOut := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_bytes_out_total", Help: "Bytes written to clients."})
	drops := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_send_queue_drops_total", Help: "Ephemeral frames dropped because a peer's send queue was full."})
	slow := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_slow_consumers_total", Help: "Peers closed with 4008 for falling behind."})
	writeFailures := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "homeroom_write_failures_total", Help: "Connections dropped because a write failed or timed out."})
	fanout := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "homeroom_fanout_latency_seconds",
		Help:    "Time from a change reaching its session to its frame being written to a peer.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2},
	})
	m.peer = &peer.Metrics{MessagesOut: messagesOut, FramesOut: framesOut, BytesOut: bytesOut,
		DroppedEphemeral: drops, SlowConsumers: slow, WriteFailures: writeFailures, FanoutLatency: fanout}
	reg.MustRegister(m.connections, m.accepted, m.refused, m.closed, m.framesIn, m.badFrames,
		m.rateLimited, messagesOut, framesOut, bytesOut, drops, slow, writeFailures, fanout)
	for t := wire.TypeHello; t <= wire.TypeSynced; t++ {
		m.framesInByType[t] = m.framesIn.WithLabelValues(t.String())
	}
	m.rooms = rooms.NewMetrics(reg)
	return m
}

// frameIn counts a received frame; the label values are resolved once per
// type rather than per frame.
func (m *metrics) frameIn(t wire.Type) {
	if t.Known() {
		m.framesInByType[t].Inc()
		return
	}
	m.framesIn.WithLabelValues("unknown").Inc()
}
