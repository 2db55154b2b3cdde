package gameday

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// fullClient is a client with a full replica of the document: loaded from
// the snapshot of a fresh join, then every changes frame applied by its
// reader goroutine. The teacher is one; so is the fresh client of the
// convergence check.
type fullClient struct {
	r    *runner
	conn *websocket.Conn
	doc  replica
	who  user
	// onApp, if set, is given every app frame with when it was read (ns
	// since the run's start), on the reader goroutine.
	onApp func(now int64, payload []byte)

	welcome wire.Welcome  // written by the reader before synced is closed
	synced  chan struct{} // closed on the synced frame
	done    chan struct{} // closed when the reader returns
	readErr error         // why the reader returned; read after done

	stopping      atomic.Bool
	answered      atomic.Int64 // changes frames acknowledged or rejected
	rejected      atomic.Int64 // changes frames answered with an error
	stopHeartbeat func()
}

// connectFull connects a full client as who and waits for its initial
// sync. onApp (nil: none) is given every app frame it receives.
func (r *runner) connectFull(ctx context.Context, who user, onApp func(now int64, payload []byte)) (*fullClient, error) {
	c := &fullClient{r: r, who: who, onApp: onApp, synced: make(chan struct{}), done: make(chan struct{})}
	token, err := r.token(who)
	if err != nil {
		return nil, err
	}
	conn, err := dial(ctx, r.url, r.cfg.DialTimeout, token, r.cfg.Session)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	c.stopHeartbeat = heartbeat(conn, heartbeatEvery)
	r.goFunc(c.read)
	timeout := time.NewTimer(r.cfg.JoinTimeout)
	defer timeout.Stop()
	select {
	case <-c.synced:
		if err := c.doc.failure(); err != nil {
			c.close()
			return nil, err
		}
		return c, nil
	case <-c.done:
		c.close()
		return nil, fmt.Errorf("connection ended before synced: %w", c.readErr)
	case <-timeout.C:
		c.close()
		return nil, fmt.Errorf("no synced within %s", r.cfg.JoinTimeout)
	case <-ctx.Done():
		c.close()
		return nil, ctx.Err()
	}
}

// read handles everything the server sends the client.
func (c *fullClient) read() {
	defer close(c.done)
	fr := newFrameReader(c.conn)
	for {
		typ, payload, err := fr.next()
		if err != nil {
			c.readErr = err
			if !c.stopping.Load() {
				c.r.problem("%s connection ended early (close %s): %v", c.who.role, closeReason(err), err)
			}
			return
		}
		switch typ {
		case wire.TypeWelcome:
			if err := wire.DecodeJSON(typ, payload, &c.welcome); err != nil {
				c.r.problem("%s: %v", c.who.role, err)
			}
		case wire.TypeSnapshot:
			c.doc.load(payload)
			fr.release()
		case wire.TypeChanges:
			if _, chunks, err := wire.ParseChanges(payload); err == nil {
				c.doc.apply(chunks)
			}
			fr.release()
		case wire.TypeSynced:
			select {
			case <-c.synced:
			default:
				close(c.synced)
			}
		case wire.TypeApp:
			if c.onApp != nil {
				c.onApp(c.r.since(), payload)
			}
		case wire.TypeAck:
			c.answered.Add(1)
		case wire.TypeError:
			c.r.serverError(payload)
			var e wire.Error
			if wire.DecodeJSON(typ, payload, &e) == nil && e.Ref != 0 {
				c.rejected.Add(1)
				c.answered.Add(1)
				c.r.problem("%s changes frame %d rejected: %s: %s", c.who.role, e.Ref, e.Code, e.Message)
			}
		}
	}
}

// sendApp writes v as an app frame.
func (c *fullClient) sendApp(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	return c.conn.Write(ctx, websocket.MessageBinary, wire.EncodeFrame(wire.TypeApp, b))
}

// isDone reports whether the connection has ended.
func (c *fullClient) isDone() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// close ends the connection normally and waits for the reader.
func (c *fullClient) close() {
	c.stopping.Store(true)
	c.stopHeartbeat()
	c.conn.Close(websocket.StatusNormalClosure, "gameday finished")
	<-c.done
}
