package gameday

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// readLimit is the largest message any gameday client accepts; snapshots
// of a full board are the big ones.
const readLimit = 64 << 20

// presenceFrame is the heartbeat every client sends at least every 15 s.
var presenceFrame = wire.JSONFrame(wire.TypePresence, wire.Presence{Status: "active"})

// heartbeatEvery is the protocol's heartbeat period.
const heartbeatEvery = 15 * time.Second

// dialError is a failed handshake, with a short reason for the report.
type dialError struct {
	reason string
	err    error
}

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// dial opens a homeroom.v1 WebSocket to url, presenting token as the
// subprotocol entry homeroom.token.<token>, and sends a hello for session.
// Handshake and hello together take at most timeout. The server checks the
// token when it reads the hello: a refusal comes as an error frame and a
// close on the connection, not as a dial error.
func dial(ctx context.Context, url string, timeout time.Duration, token, session string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		Subprotocols: []string{wire.Subprotocol, identity.SubprotocolFor(token)},
	})
	if err != nil {
		return nil, &dialError{reason: dialReason(resp, err), err: fmt.Errorf("failed to dial %s: %w", url, err)}
	}
	if conn.Subprotocol() != wire.Subprotocol {
		conn.CloseNow()
		return nil, &dialError{reason: "subprotocol", err: fmt.Errorf("failed to dial %s: server chose subprotocol %q", url, conn.Subprotocol())}
	}
	conn.SetReadLimit(readLimit)
	hello := wire.Hello{Protocol: wire.Version, Session: session}
	if err := conn.Write(ctx, websocket.MessageBinary, wire.JSONFrame(wire.TypeHello, hello)); err != nil {
		conn.CloseNow()
		return nil, &dialError{reason: "hello", err: fmt.Errorf("failed to send hello: %w", err)}
	}
	return conn, nil
}

// dialReason classifies a failed handshake for the report's dial_errors.
func dialReason(resp *http.Response, err error) string {
	var op *net.OpError
	switch {
	case resp != nil:
		return fmt.Sprintf("http_%d", resp.StatusCode)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.As(err, &op):
		return op.Op
	}
	return "other"
}

// closeReason names how a connection ended, for the report's closes: the
// close code the server sent, or 1006 (abnormal closure, as browsers say)
// when the connection broke without one.
func closeReason(err error) string {
	if code := websocket.CloseStatus(err); code != -1 {
		return fmt.Sprint(int(code))
	}
	return "1006"
}

// heartbeat sends presence every heartbeatEvery, the first after first,
// until the returned stop is called. A failed write ends it: the owner of
// the connection sees the failure on its read side.
func heartbeat(conn *websocket.Conn, first time.Duration) (stop func()) {
	var stopped atomic.Bool
	var timer atomic.Pointer[time.Timer]
	var fire func()
	fire = func() {
		if stopped.Load() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := conn.Write(ctx, websocket.MessageBinary, presenceFrame)
		cancel()
		if err == nil && !stopped.Load() {
			timer.Store(time.AfterFunc(heartbeatEvery, fire))
		}
	}
	timer.Store(time.AfterFunc(first, fire))
	return func() {
		stopped.Store(true)
		timer.Load().Stop()
	}
}
