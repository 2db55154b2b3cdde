package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/peer"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Gateway is the /ws endpoint. It owns one goroutine pair per connection
// (the HTTP handler reads, the peer writer writes) and waits for them on
// shutdown.
type Gateway struct {
	cfg     Config
	reg     *rooms.Registry
	log     *slog.Logger
	m       *metrics
	tokens  *identity.Verifier
	catalog catalog.Catalog

	base   context.Context // cancelled to force every connection down
	cancel context.CancelFunc

	open atomic.Int64

	mu       sync.Mutex
	draining bool
	wg       sync.WaitGroup
}

func newGateway(cfg Config, deps Deps, reg *rooms.Registry, log *slog.Logger, m *metrics) *Gateway {
	base, cancel := context.WithCancel(context.Background())
	g := &Gateway{cfg: cfg, reg: reg, log: log, m: m, tokens: deps.Tokens, catalog: deps.Catalog,
		base: base, cancel: cancel}
	reg.OnWelcome(func(w *wire.Welcome) {
		w.MaxMessageBytes = int(cfg.MaxMessageBytes)
		w.RatePerSecond, w.Burst = cfg.RatePerSecond, cfg.Burst
		if rooms.Allowed(rooms.Role(w.Role), rooms.ActModerate) {
			w.RatePerSecond, w.Burst = cfg.StaffRatePerSecond, cfg.StaffBurst
		}
	})
	return g
}

// ServeHTTP upgrades a request to a homeroom.v1 WebSocket and serves it
// until either side closes.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !offersSubprotocol(r) {
		g.m.refused.WithLabelValues("subprotocol").Inc()
		http.Error(w, "unsupported subprotocol: offer "+wire.Subprotocol, http.StatusBadRequest)
		return
	}
	if !g.enter() {
		g.m.refused.WithLabelValues("draining").Inc()
		w.Header().Set("Retry-After", "5")
		http.Error(w, "server is restarting", http.StatusServiceUnavailable)
		return
	}
	defer g.wg.Done()
	if n := g.open.Add(1); n > int64(g.cfg.MaxConnections) {
		g.open.Add(-1)
		g.m.refused.WithLabelValues("capacity").Inc()
		w.Header().Set("Retry-After", "2")
		http.Error(w, "node is at its connection limit", http.StatusServiceUnavailable)
		return
	}
	defer g.open.Add(-1)

	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:    []string{wire.Subprotocol},
		OriginPatterns:  g.cfg.OriginPatterns,
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		g.m.refused.WithLabelValues("upgrade").Inc()
		g.log.Debug("failed to accept websocket", "err", err)
		return
	}
	g.m.accepted.Inc()
	g.m.connections.Inc()
	defer g.m.connections.Dec()
	token, _ := identity.TokenFromSubprotocols(r.Header.Values("Sec-WebSocket-Protocol"))
	g.serve(conn, token)
}

// enter registers a connection handler unless the gateway is draining.
func (g *Gateway) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.draining {
		return false
	}
	g.wg.Add(1)
	return true
}

func offersSubprotocol(r *http.Request) bool {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(h, ",") {
			if strings.TrimSpace(p) == wire.Subprotocol {
				return true
			}
		}
	}
	return false
}

// serve runs one connection: hello, join, then the read loop. The peer
// writer runs beside it and is waited for before serve returns.
func (g *Gateway) serve(conn *websocket.Conn, token string) {
	ctx, cancel := context.WithCancel(g.base)
	defer cancel()
	conn.SetReadLimit(g.cfg.MaxMessageBytes)

	p := peer.New(conn, g.cfg.Peer, g.m.peer)
	writer := make(chan error, 1)
	go func() { writer <- p.Run(ctx) }()

	member, err := g.join(ctx, conn, p, token)
	if err == nil {
		err = g.readLoop(ctx, conn, p, member)
		member.Leave()
	}
	g.closeFor(p, err)
	select {
	case <-writer:
	case <-time.After(g.cfg.Peer.WriteTimeout + 5*time.Second):
		// The writer is stuck in a close handshake with a dead peer.
		conn.CloseNow()
		<-writer
	}
}

// closeError carries the close code a read-side failure should end with.
type closeError struct {
	code   websocket.StatusCode
	reason string
	frame  wire.Code // when set, an error frame with the reason precedes the close
}

func (e *closeError) Error() string { return fmt.Sprintf("close %d: %s", e.code, e.reason) }

func closeWith(code websocket.StatusCode, format string, args ...any) error {
	return &closeError{code: code, reason: fmt.Sprintf(format, args...)}
}

// closeFor ends the connection as err calls for.
func (g *Gateway) closeFor(p *peer.Peer, err error) {
	var ce *closeError
	switch {
	case errors.As(err, &ce):
		g.m.closed.WithLabelValues(fmt.Sprint(int(ce.code))).Inc()
		if ce.frame != "" {
			p.Send(wire.NewError(ce.frame, 0, ce.reason).Frame())
		}
		reason := ce.reason
		if len(reason) > 120 {
			reason = reason[:120]
		}
		p.Close(ce.code, reason)
	case websocket.CloseStatus(err) != -1:
		// The client closed; coder/websocket answered the handshake.
		p.Close(wire.CloseNormal, "")
	default:
		p.Abort(wire.CloseInternal, "connection lost")
	}
}

// join reads the hello frame and admits the connection to its session.
func (g *Gateway) join(ctx context.Context, conn *websocket.Conn, p *peer.Peer, token string) (*rooms.Member, error) {
	hctx, cancel := context.WithTimeout(ctx, g.cfg.HelloTimeout)
	defer cancel()
	typ, msg, err := conn.Read(hctx)
	if err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			g.m.refused.WithLabelValues("hello").Inc()
			return nil, closeWith(wire.CloseProtocolError, "no hello within %s", g.cfg.HelloTimeout)
		}
		return nil, err
	}
	h, err := parseHello(typ, msg)
	if err != nil {
		g.m.refused.WithLabelValues("hello").Inc()
		p.Send(wire.NewError(wire.CodeBadFrame, 0, err.Error()).Frame())
		return nil, closeWith(wire.CloseProtocolError, "%v", err)
	}
	req, err := g.authenticate(ctx, h, token)
	if err != nil {
		g.m.refused.WithLabelValues("auth").Inc()
		return nil, err
	}
	member, err := g.reg.Join(ctx, req, p)
	switch {
	case err == nil:
		return member, nil
	case errors.Is(err, rooms.ErrSessionFull):
		g.m.refused.WithLabelValues("session_full").Inc()
		return nil, closeWith(wire.CloseSessionFull, "session is full")
	case errors.Is(err, rooms.ErrSessionEnded):
		return nil, refuse(wire.CloseSessionEnded, "this session has ended")
	case errors.Is(err, rooms.ErrRemoved):
		return nil, refuse(wire.CloseRemoved, "you were removed from this session")
	case errors.Is(err, rooms.ErrBadHello):
		g.m.refused.WithLabelValues("hello").Inc()
		return nil, closeWith(wire.CloseProtocolError, "%v", err)
	case errors.Is(err, rooms.ErrClosed):
		return nil, closeWith(wire.CloseServiceRestart, "server restarting: reconnect")
	default:
		g.m.refused.WithLabelValues("join").Inc()
		g.log.Error("failed to join session", "session", h.Session, "err", err)
		return nil, closeWith(wire.CloseInternal, "could not join session")
	}
}

// parseHello checks that msg is exactly one valid hello frame.
func parseHello(typ websocket.MessageType, msg []byte) (wire.Hello, error) {
	var h wire.Hello
	if typ != websocket.MessageBinary {
		return h, errors.New("messages must be binary")
	}
	f, rest, err := wire.Next(msg)
	if err != nil {
		return h, fmt.Errorf("malformed first frame: %w", err)
	}
	if f.Type != wire.TypeHello || len(rest) > 0 {
		return h, fmt.Errorf("the first message must be a single hello frame, got %s", f.Type)
	}
	if err := wire.DecodeJSON(f.Type, f.Payload, &h); err != nil {
		return h, err
	}
	if h.Protocol != wire.Version {
		return h, fmt.Errorf("protocol %d is not supported (this server speaks %d)", h.Protocol, wire.Version)
	}
	if err := checkHello(h); err != nil {
		return h, err
	}
	return h, nil
}

func checkHello(h wire.Hello) error {
	switch {
	case h.Session == "" || len(h.Session) > 128:
		return errors.New("hello.session must be 1-128 bytes")
	case len(h.Token) > 8<<10 || len(h.Invite) > 128:
		return errors.New("hello.token or hello.invite is too long")
	case len(h.Heads) > 64:
		return errors.New("hello.heads lists more than 64 heads")
	case h.Mode != "" && h.Mode != wire.ModeSync:
		return fmt.Errorf("hello.mode %q is not a mode", h.Mode)
	}
	return nil
}

// drain stops new connections and waits for open ones to end, forcing them
// down when ctx is done.
func (g *Gateway) drain(ctx context.Context) error {
	g.mu.Lock()
	g.draining = true
	g.mu.Unlock()
	done := make(chan struct{})
	go func() {
		g.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		g.cancel()
		<-done
		return fmt.Errorf("failed to close connections gracefully: %w", ctx.Err())
	}
}

// Open returns the number of open WebSocket connections.
func (g *Gateway) Open() int { return int(g.open.Load()) }
