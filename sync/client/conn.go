package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// connectOnce dials, joins and serves one connection until it ends.
func (c *Client) connectOnce(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.DialTimeout)
	conn, resp, err := websocket.Dial(dctx, c.cfg.URL, &websocket.DialOptions{
		Subprotocols: []string{wire.Subprotocol, identity.SubprotocolFor(c.cfg.Token)},
		HTTPHeader:   c.cfg.Header,
	})
	cancel()
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusServiceUnavailable {
			return fmt.Errorf("server busy: %w", err)
		}
		return fmt.Errorf("failed to dial %s: %w", c.cfg.URL, err)
	}
	conn.SetReadLimit(c.cfg.MaxMessageBytes)
	defer conn.CloseNow()

	c.mu.Lock()
	if c.offline {
		c.mu.Unlock()
		return errors.New("went offline while dialing")
	}
	c.conn = conn
	c.synced = false
	c.syncState = nil
	clear(c.inflight)
	c.stats.Connects++
	if c.stats.Connects > 1 {
		c.stats.Reconnects++
	}
	hello := wire.Hello{
		Protocol: wire.Version, Session: c.cfg.Session, Heads: crdt.HashStrings(c.serverHeadsLocked()),
		ChatSince: c.chatSeq,
	}
	if c.doc != nil && c.cfg.ForceSync {
		hello.Mode = wire.ModeSync
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.conn, c.out = nil, nil
		c.synced = false
		c.mu.Unlock()
	}()

	if err := conn.Write(ctx, websocket.MessageBinary, wire.JSONFrame(wire.TypeHello, hello)); err != nil {
		return fmt.Errorf("failed to send hello: %w", err)
	}

	out := newOutbox()
	c.mu.Lock()
	c.out = out
	c.mu.Unlock()
	wctx, stopWriters := context.WithCancel(ctx)
	var writers sync.WaitGroup
	writers.Go(func() { out.run(wctx, conn, c.cfg.WriteTimeout) })
	writers.Go(func() { c.heartbeat(wctx, out) })
	defer func() {
		stopWriters()
		writers.Wait()
	}()

	for {
		typ, msg, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		if typ != websocket.MessageBinary {
			continue
		}
		frames, err := wire.Split(msg, 1<<16)
		if err != nil {
			return fmt.Errorf("malformed message from server: %w", err)
		}
		for _, f := range frames {
			if err := c.handle(f); err != nil {
				return err
			}
		}
	}
}

// heartbeat sends a presence frame every HeartbeatInterval so the server
// knows the client is alive even when the user is idle.
func (c *Client) heartbeat(ctx context.Context, out *outbox) {
	t := time.NewTicker(c.cfg.HeartbeatInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			out.push(wire.JSONFrame(wire.TypePresence, wire.Presence{Status: "active"}))
		}
	}
}

// handle applies one frame from the server.
func (c *Client) handle(f wire.Frame) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	switch f.Type {
	case wire.TypeWelcome:
		if err := wire.DecodeJSON(f.Type, f.Payload, &c.welcome); err != nil {
			return err
		}
		if c.welcome.Mode == wire.ModeSync {
			if c.doc == nil {
				return errors.New("server chose sync mode for a client with no replica")
			}
			c.syncState = automerge.NewSyncState(c.doc.Automerge())
		}
	case wire.TypeSnapshot:
		doc, err := crdt.Load(f.Payload)
		if err != nil {
			return fmt.Errorf("load snapshot: %w", err)
		}
		if c.doc != nil {
			c.log.Warn("replacing local document with the server's snapshot")
		}
		c.doc = doc
		clear(c.localOnly)
	case wire.TypeChanges:
		_, chunks, err := wire.ParseChanges(f.Payload)
		if err != nil {
			return err
		}
		if c.doc == nil {
			return errors.New("server sent changes before a snapshot")
		}
		applied, err := c.doc.ApplyChanges(chunks)
		c.stats.ChangesApplied += applied.Count
		if err != nil && !(c.syncState != nil && errors.Is(err, crdt.ErrMissingDeps)) {
			// In sync mode a broadcast may overtake the changes it
			// depends on; the sync protocol delivers both.
			return fmt.Errorf("apply server changes: %w", err)
		}
	case wire.TypeSynced:
		c.synced = true
		c.status = StatusLive
		if c.offline {
			c.status = StatusOffline
		}
		if c.reraiseHand {
			c.reraiseHand = false
			if err := c.raiseHandLocked(); err != nil {
				c.log.Warn("failed to raise hand again after reset", "err", err)
			}
		}
		return c.sendUnackedLocked()
	case wire.TypeAck:
		var a wire.Ack
		if err := wire.DecodeJSON(f.Type, f.Payload, &a); err != nil {
			return err
		}
		for _, h := range c.inflight[a.Ref] {
			delete(c.localOnly, h)
		}
		delete(c.inflight, a.Ref)
		c.stats.Acks++
	case wire.TypeSync:
		return c.receiveSyncLocked(f.Payload)
	case wire.TypeError:
		var e wire.Error
		if err := wire.DecodeJSON(f.Type, f.Payload, &e); err != nil {
			return err
		}
		c.errs = append(c.errs, e)
		c.log.Warn("server error", "code", e.Code, "msg", e.Message, "ref", e.Ref)
		if e.Reset {
			// The server refused a change of ours for good: start again
			// from its snapshot, keeping what we may still write. Strokes
			// go (the board may be locked, or one was not ours); our own
			// hand is always ours, so a raised hand is raised again.
			c.reraiseHand = c.handRaisedLocked()
			c.doc = nil
			clear(c.localOnly)
			c.stats.Resets++
			return fmt.Errorf("server asked for a reset: %w", e)
		}
		if e.Ref != 0 {
			delete(c.inflight, e.Ref)
			if e.Temporary && c.synced {
				// Resend everything unacknowledged; the server drops repeats.
				return c.sendUnackedLocked()
			}
		}
	case wire.TypeApp:
		c.receiveAppLocked(f.Payload)
	case wire.TypePresence:
		// Cursors are for UIs; this client ignores them.
	}
	return nil
}

func (c *Client) receiveSyncLocked(msg []byte) error {
	if c.syncState == nil || c.doc == nil {
		return errors.New("sync frame outside sync mode")
	}
	if err := crdt.CheckSyncMessage(msg); err != nil {
		return fmt.Errorf("server sync message: %w", err)
	}
	if _, err := c.syncState.ReceiveMessage(msg); err != nil {
		return fmt.Errorf("receive sync message: %w", err)
	}
	if sm, ok := c.syncState.GenerateMessage(); ok {
		c.out.push(wire.EncodeFrame(wire.TypeSync, sm.Bytes()))
	}
	return nil
}

// sendUnackedLocked sends every local change the server has not
// acknowledged; c.mu is held.
func (c *Client) sendUnackedLocked() error {
	if c.doc == nil || len(c.localOnly) == 0 {
		return nil
	}
	chunks, err := c.doc.ChangesSince(c.serverHeadsLocked())
	if err != nil {
		return fmt.Errorf("collect unsent changes: %w", err)
	}
	return c.sendChangesLocked(chunks)
}

// sendChangesLocked queues a changes frame; c.mu is held and c.out set.
func (c *Client) sendChangesLocked(chunks []byte) error {
	if len(chunks) == 0 {
		return nil
	}
	parsed, err := crdt.ParseChunks(chunks, 0)
	if err != nil {
		return err
	}
	c.nextRef++
	ref := c.nextRef
	hashes := make([]crdt.Hash, len(parsed))
	for i, ch := range parsed {
		hashes[i] = ch.Hash
	}
	c.inflight[ref] = hashes
	c.stats.ChangesSent += len(parsed)
	c.out.push(wire.AppendChanges(nil, ref, chunks))
	return nil
}

// serverHeadsLocked returns heads of the part of the document the server
// is known to have: the document's heads with every unacknowledged local
// change replaced by its dependencies. The set may name an ancestor of
// another head; the server's answer is the same either way. c.mu is held.
func (c *Client) serverHeadsLocked() []crdt.Hash {
	if c.doc == nil {
		return nil
	}
	seen := make(map[crdt.Hash]bool)
	var out []crdt.Hash
	stack := c.doc.Heads()
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		if deps, local := c.localOnly[h]; local {
			stack = append(stack, deps...)
			continue
		}
		out = append(out, h)
	}
	return out
}
