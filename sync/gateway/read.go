package gateway

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/sync/peer"
	"github.com/homeroom-edu/homeroom/sync/wire"
	"golang.org/x/time/rate"
)

// reader is the read side of one joined connection.
type reader struct {
	g       *Gateway
	conn    *websocket.Conn
	peer    *peer.Peer
	member  *rooms.Member
	limiter *rate.Limiter
	strikes []time.Time // rate-limit violations inside FloodWindow
	noticed time.Time   // last rate_limited error frame sent
}

// readLoop reads messages until the connection ends. It returns the
// client's close, a read error, or a closeError saying how to end.
func (g *Gateway) readLoop(ctx context.Context, conn *websocket.Conn, p *peer.Peer, m *rooms.Member) error {
	perSecond, burst := g.cfg.RatePerSecond, g.cfg.Burst
	if rooms.Allowed(m.Role, rooms.ActModerate) {
		perSecond, burst = g.cfg.StaffRatePerSecond, g.cfg.StaffBurst
	}
	r := &reader{g: g, conn: conn, peer: p, member: m, limiter: rate.NewLimiter(rate.Limit(perSecond), burst)}
	idle := time.AfterFunc(g.cfg.IdleTimeout, func() {
		p.Close(wire.CloseIdleTimeout, "no frames or heartbeat: reconnect")
	})
	defer idle.Stop()
	for {
		typ, msg, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		idle.Reset(g.cfg.IdleTimeout)
		at := time.Now()
		if err := r.message(ctx, typ, msg, at); err != nil {
			return err
		}
	}
}

// message handles one client message. Only a closeError or a session that
// is gone ends the connection; everything else is an error frame.
func (r *reader) message(ctx context.Context, typ websocket.MessageType, msg []byte, at time.Time) error {
	if !r.limiter.AllowN(at, 1) {
		return r.rateLimited(at)
	}
	if typ != websocket.MessageBinary {
		r.reject(wire.CodeBadFrame, 0, "messages must be binary")
		return nil
	}
	frames, err := wire.Split(msg, r.g.cfg.MaxFramesPerMessage)
	if err != nil {
		r.reject(wire.CodeBadFrame, 0, err.Error())
		return nil
	}
	for _, f := range frames {
		if err := r.frame(ctx, f, at); err != nil {
			if errors.Is(err, rooms.ErrClosed) {
				return closeWith(wire.CloseServiceRestart, "server restarting: reconnect")
			}
			return err
		}
	}
	return nil
}

func (r *reader) frame(ctx context.Context, f wire.Frame, at time.Time) error {
	r.g.m.frameIn(f.Type)
	switch f.Type {
	case wire.TypeChanges:
		ref, chunks, err := wire.ParseChanges(f.Payload)
		if err != nil {
			r.reject(wire.CodeBadFrame, 0, err.Error())
			return nil
		}
		if ref == 0 {
			r.reject(wire.CodeBadFrame, 0, "changes from a client need a ref > 0")
			return nil
		}
		// Check the bytes here, on the connection's own goroutine, so
		// garbage never costs the session anything; the session gets the
		// parsed chunks and does not parse them again.
		parsed, err := crdt.ParseChunks(chunks, int(r.g.cfg.MaxMessageBytes)*4)
		if err != nil {
			r.reject(wire.CodeBadChange, ref, err.Error())
			return nil
		}
		return r.member.Changes(ctx, ref, parsed, at)
	case wire.TypeSync:
		return r.member.Sync(ctx, f.Payload)
	case wire.TypePresence:
		var p wire.Presence
		if err := wire.DecodeJSON(f.Type, f.Payload, &p); err != nil {
			r.reject(wire.CodeBadFrame, 0, err.Error())
			return nil
		}
		if err := checkPresence(p); err != nil {
			r.reject(wire.CodeBadFrame, 0, err.Error())
			return nil
		}
		return r.member.Presence(ctx, p)
	case wire.TypeApp:
		var a wire.App
		if err := wire.DecodeJSON(f.Type, f.Payload, &a); err != nil || a.Type == "" {
			r.reject(wire.CodeBadFrame, 0, "app frame needs a JSON object with a type")
			return nil
		}
		return r.member.App(ctx, a, f.Payload)
	case wire.TypeHello:
		r.reject(wire.CodeAlreadyJoined, 0, "this socket has already joined")
		return nil
	default:
		r.reject(wire.CodeUnknownFrame, 0, fmt.Sprintf("frame %s is not accepted from clients", f.Type))
		return nil
	}
}

func checkPresence(p wire.Presence) error {
	if len(p.Cursor) != 0 && len(p.Cursor) != 2 {
		return errors.New("presence.cursor must be null or [x, y]")
	}
	switch p.Status {
	case "", "active", "away":
		return nil
	}
	return fmt.Errorf("presence.status %q is not active or away", p.Status)
}

func (r *reader) reject(code wire.Code, ref uint64, msg string) {
	r.g.m.badFrames.WithLabelValues(string(code)).Inc()
	r.peer.Send(wire.NewError(code, ref, msg).Frame())
}

// rateLimited drops a message over the rate. The client hears about it at
// most once a second; a flood closes the connection.
func (r *reader) rateLimited(at time.Time) error {
	r.g.m.rateLimited.Inc()
	cut := at.Add(-r.g.cfg.FloodWindow)
	kept := r.strikes[:0]
	for _, s := range r.strikes {
		if s.After(cut) {
			kept = append(kept, s)
		}
	}
	r.strikes = append(kept, at)
	if len(r.strikes) >= r.g.cfg.FloodStrikes {
		return closeWith(wire.CloseFlood, "message rate exceeded repeatedly")
	}
	if at.Sub(r.noticed) >= time.Second {
		r.noticed = at
		r.reject(wire.CodeRateLimited, 0, fmt.Sprintf("more than %g messages per second; message dropped", float64(r.limiter.Limit())))
	}
	return nil
}
