package client

import (
	"context"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Edit runs fn on the local document, commits what it wrote as one change
// and queues it for the connection's writer if the client is live (Edit
// never waits on the network; ctx is kept for callers that pass one).
// Offline, the change waits in the document and is sent after the next
// sync.
func (c *Client) Edit(ctx context.Context, fn func(d *crdt.Doc) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil {
		return ErrNotReady
	}
	if err := fn(c.doc); err != nil {
		// Keep the document free of half-done edits.
		if _, cerr := c.doc.Commit("abandoned edit"); cerr != nil {
			return fmt.Errorf("edit: %w (and commit: %v)", err, cerr)
		}
		return err
	}
	applied, err := c.doc.Commit("")
	if err != nil {
		return err
	}
	if applied.Count == 0 {
		return nil
	}
	if err := c.trackLocalLocked(applied); err != nil {
		return err
	}
	defer c.notifyLocked()
	if c.out == nil || !c.synced {
		return nil // sent after the next sync
	}
	return c.sendChangesLocked(applied.Chunks)
}

// trackLocalLocked records new local changes as not yet acknowledged;
// c.mu is held.
func (c *Client) trackLocalLocked(applied crdt.Applied) error {
	parsed, err := crdt.ParseChunks(applied.Chunks, 0)
	if err != nil {
		return fmt.Errorf("own change: %w", err)
	}
	for _, ch := range parsed {
		c.localOnly[ch.Hash] = ch.Deps
	}
	return nil
}

// AddStroke draws a stroke authored by this client's user.
func (c *Client) AddStroke(ctx context.Context, s crdt.Stroke) error {
	if s.Author == "" {
		s.Author = c.User()
	}
	if s.Created == 0 {
		s.Created = time.Now().UnixMilli()
	}
	return c.Edit(ctx, func(d *crdt.Doc) error { return d.AddStroke(s) })
}

// RaiseHand raises this user's hand.
func (c *Client) RaiseHand(ctx context.Context) error {
	user := c.User()
	return c.Edit(ctx, func(d *crdt.Doc) error { return d.RaiseHand(user, time.Now().UnixMilli()) })
}

// handRaisedLocked reports whether our hand is raised in the local copy;
// c.mu is held.
func (c *Client) handRaisedLocked() bool {
	if c.doc == nil {
		return false
	}
	st, err := c.doc.State()
	return err == nil && st.Hands[c.userLocked()] != 0
}

// raiseHandLocked raises our hand in the local copy; it is sent with the
// other unacknowledged changes. c.mu is held.
func (c *Client) raiseHandLocked() error {
	user := c.userLocked()
	if st, err := c.doc.State(); err == nil && st.Hands[user] != 0 {
		return nil
	}
	if err := c.doc.RaiseHand(user, time.Now().UnixMilli()); err != nil {
		return err
	}
	applied, err := c.doc.Commit("")
	if err != nil || applied.Count == 0 {
		return err
	}
	return c.trackLocalLocked(applied)
}

// LowerHand lowers this user's hand.
func (c *Client) LowerHand(ctx context.Context) error {
	user := c.User()
	return c.Edit(ctx, func(d *crdt.Doc) error { return d.LowerHand(user) })
}

// SetPresence sends an ephemeral cursor/status update if live; offline it
// is dropped (presence is never stored).
func (c *Client) SetPresence(ctx context.Context, p wire.Presence) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out != nil {
		c.out.push(wire.JSONFrame(wire.TypePresence, p))
	}
	return nil
}

// Heads returns the local document's heads (nil before the first sync).
func (c *Client) Heads() []crdt.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil {
		return nil
	}
	return c.doc.Heads()
}

// State returns a typed copy of the local document.
func (c *Client) State() (crdt.State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil {
		return crdt.State{}, ErrNotReady
	}
	return c.doc.State()
}

// StateAt returns the local document as it was at heads (which the client
// must have: crdt.ErrUnknownHeads otherwise).
func (c *Client) StateAt(heads []crdt.Hash) (crdt.State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil {
		return crdt.State{}, ErrNotReady
	}
	return c.doc.StateAt(heads)
}

// JSON renders the local document.
func (c *Client) JSON() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil {
		return nil, ErrNotReady
	}
	return c.doc.JSON()
}

// Status returns the connection state.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Unacked returns how many local changes the server has not acknowledged.
func (c *Client) Unacked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.localOnly)
}

// Errors returns the error frames received so far.
func (c *Client) Errors() []wire.Error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]wire.Error(nil), c.errs...)
}

// Stats returns counters of what the client has done.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// User returns the user id the server knows this client by (from the
// token, announced in welcome), or Config.User before the first welcome.
func (c *Client) User() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.userLocked()
}

func (c *Client) userLocked() string {
	if c.welcome.User != "" {
		return c.welcome.User
	}
	return c.cfg.User
}

// Welcome returns the last welcome received.
func (c *Client) Welcome() wire.Welcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.welcome
}
