package client

import (
	"context"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// outbox is one connection's outgoing frames. Senders queue under the
// client's lock without touching the network; the connection's writer
// goroutine writes them, so a server that stops reading never blocks
// readers of the client's state. Nothing queued is precious: changes stay
// unacknowledged until the server answers and are sent again after a
// reconnect.
type outbox struct {
	mu     sync.Mutex
	frames [][]byte
	wake   chan struct{}
}

func newOutbox() *outbox { return &outbox{wake: make(chan struct{}, 1)} }

// push queues a frame; it never blocks.
func (o *outbox) push(frame []byte) {
	o.mu.Lock()
	o.frames = append(o.frames, frame)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// run writes queued frames, each within timeout, until ctx is done or a
// write fails; a failed write closes the connection so its reader ends
// too.
func (o *outbox) run(ctx context.Context, conn *websocket.Conn, timeout time.Duration) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		}
		o.mu.Lock()
		frames := o.frames
		o.frames = nil
		o.mu.Unlock()
		for _, f := range frames {
			wctx, cancel := context.WithTimeout(ctx, timeout)
			err := conn.Write(wctx, websocket.MessageBinary, f)
			cancel()
			if err != nil {
				conn.CloseNow()
				return
			}
		}
	}
}
