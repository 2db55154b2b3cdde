package peer

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the instruments a peer reports to. Nil fields are skipped.
type Metrics struct {
	// MessagesOut counts WebSocket messages written.
	MessagesOut prometheus.Counter
	// FramesOut counts frames written (several per coalesced message).
	FramesOut prometheus.Counter
	// BytesOut counts bytes written.
	BytesOut prometheus.Counter
	// DroppedEphemeral counts presence frames dropped under backpressure.
	DroppedEphemeral prometheus.Counter
	// SlowConsumers counts peers closed for falling behind.
	SlowConsumers prometheus.Counter
	// WriteFailures counts connections dropped because a write failed or
	// timed out.
	WriteFailures prometheus.Counter
	// FanoutLatency observes, per durable frame, seconds from the event that
	// produced it (a change received by the session) to its write.
	FanoutLatency prometheus.Observer
}

func inc(c prometheus.Counter) {
	if c != nil {
		c.Inc()
	}
}

func add(c prometheus.Counter, v float64) {
	if c != nil {
		c.Add(v)
	}
}
