package peer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// closeMode is how a requested close treats what is queued.
type closeMode int

const (
	closeFlush closeMode = iota // write what is queued, then the close frame
	closeDrop                   // discard the queue, finish the write in flight, send the close frame
	closeAbort                  // cancel the write in flight and drop the connection
)

// item is one queued frame.
type item struct {
	frame     []byte
	at        time.Time // origin of a durable frame, for the latency metric; zero if unknown
	ephemeral bool
	initial   bool // part of a join; not counted against the queue bounds
}

// Peer is one connected client's outgoing side. Send methods may be called
// from any goroutine and never block; Run is the writer and must be running
// for anything to be sent.
type Peer struct {
	conn    *websocket.Conn
	cfg     Config
	metrics *Metrics

	wake chan struct{}

	mu          sync.Mutex
	items       []item
	bytes       int // bytes of counted (non-initial) items
	counted     int // number of counted items
	closing     bool
	mode        closeMode
	closeCode   websocket.StatusCode
	closeReason string
	writing     bool // a write is in flight; Abort must cut it short

	// watchdog drops the connection when one write outlives WriteTimeout.
	// A timer reset per write costs far less than a context with a
	// deadline per write, which dominated the writer's CPU at 2,000 peers.
	watchdog *time.Timer
}

// New returns a peer writing to conn. m may be nil.
func New(conn *websocket.Conn, cfg Config, m *Metrics) *Peer {
	if m == nil {
		m = &Metrics{}
	}
	return &Peer{conn: conn, cfg: cfg.withDefaults(), metrics: m, wake: make(chan struct{}, 1)}
}

// Send queues a durable frame. It reports false if the peer is closing or
// was just closed for falling behind; the frame is then not delivered and
// the client will resync on reconnect.
func (p *Peer) Send(frame []byte) bool { return p.enqueue(item{frame: frame}) }

// SendAt queues a durable frame produced by an event at the given time; the
// write observes the fan-out latency from that time.
func (p *Peer) SendAt(frame []byte, at time.Time) bool {
	return p.enqueue(item{frame: frame, at: at})
}

// SendInitial queues a frame of a member's initial sync (welcome,
// snapshot, catch-up changes, synced). It is durable but not counted
// against the queue bounds: a reconnecting tablet's catch-up may be larger
// than the steady-state budget, and is bounded by the document size
// instead.
func (p *Peer) SendInitial(frame []byte) bool {
	return p.enqueue(item{frame: frame, initial: true})
}

// SendEphemeral queues a frame that may be dropped under backpressure.
func (p *Peer) SendEphemeral(frame []byte) bool {
	return p.enqueue(item{frame: frame, ephemeral: true})
}

func (p *Peer) enqueue(it item) bool {
	p.mu.Lock()
	if p.closing {
		p.mu.Unlock()
		return false
	}
	if !it.initial && !p.fits(len(it.frame)) {
		if it.ephemeral {
			p.mu.Unlock()
			inc(p.metrics.DroppedEphemeral)
			return false
		}
		p.dropEphemeral()
		if !p.fits(len(it.frame)) && p.counted > 0 {
			p.startClose(wire.CloseSlowConsumer, "slow consumer: resync on reconnect", closeDrop)
			p.mu.Unlock()
			inc(p.metrics.SlowConsumers)
			return false
		}
	}
	p.items = append(p.items, it)
	if !it.initial {
		p.bytes += len(it.frame)
		p.counted++
	}
	p.mu.Unlock()
	p.signal()
	return true
}

// fits reports whether n more bytes fit the queue; p.mu is held.
func (p *Peer) fits(n int) bool {
	return p.counted < p.cfg.QueueFrames && p.bytes+n <= p.cfg.QueueBytes
}

// dropEphemeral removes queued ephemeral frames; p.mu is held.
func (p *Peer) dropEphemeral() {
	kept := p.items[:0]
	for _, it := range p.items {
		if it.ephemeral {
			p.bytes -= len(it.frame)
			p.counted--
			inc(p.metrics.DroppedEphemeral)
			continue
		}
		kept = append(kept, it)
	}
	clear(p.items[len(kept):])
	p.items = kept
}

func (p *Peer) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Close asks the writer to send what is queued, then close the connection
// with code and reason. It does not wait; Run returns once it is done.
func (p *Peer) Close(code websocket.StatusCode, reason string) {
	p.mu.Lock()
	p.startClose(code, reason, closeFlush)
	p.mu.Unlock()
}

// Abort drops the connection without sending what is queued, cancelling a
// write in progress; no close frame is sent.
func (p *Peer) Abort(code websocket.StatusCode, reason string) {
	p.mu.Lock()
	p.startClose(code, reason, closeAbort)
	writing := p.writing
	p.mu.Unlock()
	if writing {
		// Closing the connection is what unblocks a write in flight.
		p.conn.CloseNow()
	}
}

// startClose records the close request; p.mu is held. A harsher mode
// overrides a gentler one; the first code wins.
func (p *Peer) startClose(code websocket.StatusCode, reason string, mode closeMode) {
	if p.closing && mode <= p.mode {
		return
	}
	if !p.closing {
		p.closeCode, p.closeReason = code, reason
	}
	p.closing, p.mode = true, mode
	if mode >= closeDrop {
		clear(p.items)
		p.items, p.bytes, p.counted = p.items[:0], 0, 0
	}
	p.signal()
}

// Queued returns the number of frames and bytes waiting to be written that
// count against the queue bounds.
func (p *Peer) Queued() (frames, bytes int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counted, p.bytes
}

// ErrClosed is returned by Run after a requested close.
var ErrClosed = errors.New("peer closed")

// Run writes queued frames until the peer is closed or ctx is done, then
// closes the connection. It returns ErrClosed after Close or Abort.
func (p *Peer) Run(ctx context.Context) error {
	p.watchdog = time.AfterFunc(time.Hour, func() { p.conn.CloseNow() })
	p.watchdog.Stop()
	defer p.watchdog.Stop()
	defer context.AfterFunc(ctx, func() { p.Abort(websocket.StatusGoingAway, "server stopping") })()
	// The writes themselves get a context that is never done: ctx ending
	// is handled below, and a stuck write by the watchdog.
	wctx := context.WithoutCancel(ctx)
	var batch []item
	for {
		select {
		case <-ctx.Done():
			p.Abort(websocket.StatusGoingAway, "server stopping")
			p.conn.CloseNow()
			return ctx.Err()
		case <-p.wake:
		}
		for {
			p.mu.Lock()
			batch, p.items = p.items, batch[:0]
			p.bytes, p.counted = 0, 0
			closing, mode := p.closing, p.mode
			p.writing = len(batch) > 0 && !(closing && mode == closeAbort)
			p.mu.Unlock()

			if closing && mode == closeAbort {
				clear(batch)
				p.conn.CloseNow()
				return ErrClosed
			}
			var err error
			if len(batch) > 0 {
				err = p.writeBatch(wctx, batch)
				p.mu.Lock()
				p.writing = false
				p.mu.Unlock()
			}
			clear(batch)
			if err != nil {
				p.mu.Lock()
				p.closing, p.mode = true, closeAbort
				p.mu.Unlock()
				inc(p.metrics.WriteFailures)
				p.conn.CloseNow()
				return fmt.Errorf("failed to write to peer: %w", err)
			}
			if closing {
				// Re-read: a drop may have arrived during the write.
				p.mu.Lock()
				mode, code, reason := p.mode, p.closeCode, p.closeReason
				pending := len(p.items) > 0
				p.mu.Unlock()
				if mode == closeFlush && pending {
					continue
				}
				if mode == closeAbort {
					p.conn.CloseNow()
				} else {
					p.conn.Close(code, reason)
				}
				return ErrClosed
			}
			if len(batch) == 0 {
				break
			}
		}
	}
}

// coalesceBuffers holds the buffers queued frames are concatenated into.
// They are shared by all peers: an idle peer holds none, so memory follows
// the number of writes in flight, not the number of connections.
var coalesceBuffers = sync.Pool{New: func() any { return new([]byte) }}

// coalesceBudget bounds the bytes all peers of the process hold in
// coalesced messages at once. When thousands of peers fall behind together
// (a burst after a stall) each would copy up to MaxCoalesce; past the
// budget a peer writes its frames as separate messages instead, which
// costs writes but no memory.
var coalesceBudget int64 = 64 << 20

// coalescing counts the bytes held in coalesced messages being written.
var coalescing atomic.Int64

// writeEach writes frames as one message each, without copying.
func (p *Peer) writeEach(ctx context.Context, batch []item) error {
	for _, it := range batch {
		p.watchdog.Reset(p.cfg.WriteTimeout)
		err := p.conn.Write(ctx, websocket.MessageBinary, it.frame)
		p.watchdog.Stop()
		if err != nil {
			return err
		}
		inc(p.metrics.MessagesOut)
		add(p.metrics.BytesOut, float64(len(it.frame)))
	}
	return nil
}

// writeBatch writes the batch as few messages as MaxCoalesce allows.
func (p *Peer) writeBatch(ctx context.Context, batch []item) error {
	start := 0
	for start < len(batch) {
		end, size := start, 0
		for end < len(batch) && (end == start || size+len(batch[end].frame) <= p.cfg.MaxCoalesce) {
			size += len(batch[end].frame)
			end++
		}
		msg := batch[start].frame
		var pooled *[]byte
		if end-start > 1 && coalescing.Add(int64(size)) > coalesceBudget {
			coalescing.Add(-int64(size))
			if err := p.writeEach(ctx, batch[start:end]); err != nil {
				return err
			}
			p.observe(batch[start:end])
			add(p.metrics.FramesOut, float64(end-start))
			start = end
			continue
		}
		if end-start > 1 {
			pooled = coalesceBuffers.Get().(*[]byte)
			buf := (*pooled)[:0]
			for _, it := range batch[start:end] {
				buf = append(buf, it.frame...)
			}
			*pooled, msg = buf, buf
		}
		p.watchdog.Reset(p.cfg.WriteTimeout)
		err := p.conn.Write(ctx, websocket.MessageBinary, msg)
		p.watchdog.Stop()
		if pooled != nil {
			coalescing.Add(-int64(size))
			if cap(*pooled) <= 256<<10 {
				coalesceBuffers.Put(pooled) // a snapshot-sized buffer is left to the GC
			}
		}
		if err != nil {
			return err
		}
		p.observe(batch[start:end])
		inc(p.metrics.MessagesOut)
		add(p.metrics.FramesOut, float64(end-start))
		add(p.metrics.BytesOut, float64(len(msg)))
		start = end
	}
	return nil
}

// observe records the fan-out latency of frames just written.
func (p *Peer) observe(written []item) {
	if p.metrics.FanoutLatency == nil {
		return
	}
	now := time.Now()
	for _, it := range written {
		if !it.at.IsZero() {
			p.metrics.FanoutLatency.Observe(now.Sub(it.at).Seconds())
		}
	}
}
