package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Status is where a client's connection stands.
type Status string

// Connection states.
const (
	StatusConnecting   Status = "connecting"
	StatusLive         Status = "live"
	StatusReconnecting Status = "reconnecting"
	StatusOffline      Status = "offline"
	StatusClosed       Status = "closed"
)

// Errors returned by the client.
var (
	// ErrNotReady is returned by edits before the first snapshot arrived:
	// a client never creates the document's sections itself.
	ErrNotReady = errors.New("client: no document yet (not synced once)")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("client: closed")
	// ErrNotConnected is returned by SendApp while the client is not
	// connected and synced.
	ErrNotConnected = errors.New("client: not connected")
)

// Client is one participant's connection to a live session with a full
// replica of its document. Its methods are safe for concurrent use.
type Client struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	doc       *crdt.Doc
	localOnly map[crdt.Hash][]crdt.Hash // local changes not acknowledged: hash → deps
	inflight  map[uint64][]crdt.Hash    // sent changes frames by ref
	nextRef   uint64
	conn      *websocket.Conn // nil unless connected
	out       *outbox         // the connection's outgoing frames; nil unless connected
	status    Status
	synced    bool
	offline   bool
	welcome   wire.Welcome
	syncState *automerge.SyncState
	// reraiseHand is set by a reset when our hand was raised locally.
	reraiseHand bool
	errs        []wire.Error
	closeErr    error
	stats       Stats
	chatSeq     int64         // the highest chat seq seen
	changed     chan struct{} // closed and replaced on every change
	online      chan struct{} // closed and replaced when going back online

	cancel context.CancelFunc
	done   chan struct{}
}

// Stats counts what a client has seen.
type Stats struct {
	Connects       int
	Reconnects     int
	ChangesSent    int
	ChangesApplied int
	Acks           int
	Resets         int // times the server refused a change and the client started over
}

// New returns a client; Start connects it.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Client{
		cfg:       cfg,
		log:       cfg.Logger.With("session", cfg.Session, "user", cfg.User),
		localOnly: make(map[crdt.Hash][]crdt.Hash),
		inflight:  make(map[uint64][]crdt.Hash),
		status:    StatusConnecting,
		changed:   make(chan struct{}),
		online:    make(chan struct{}),
		done:      make(chan struct{}),
	}, nil
}

// Start runs the connection loop in a goroutine owned by the client until
// Close or until the server refuses it for good.
func (c *Client) Start(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	go func() {
		defer close(c.done)
		err := c.loop(ctx)
		c.mu.Lock()
		c.status, c.closeErr = StatusClosed, err
		c.notifyLocked()
		c.mu.Unlock()
	}()
}

// Close disconnects and stops the client, waiting for its goroutine.
// Unsent local edits stay in the document (see Doc).
func (c *Client) Close() error {
	if c.cancel == nil {
		return nil
	}
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		conn.Close(websocket.StatusNormalClosure, "bye")
	}
	c.cancel()
	<-c.done
	return nil
}

// Done is closed when the client has stopped; Err then says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the client stopped (nil while running or after Close).
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if errors.Is(c.closeErr, context.Canceled) {
		return nil
	}
	return c.closeErr
}

// loop connects, serves one connection, and reconnects with exponential
// backoff and full jitter until ctx is done or a close is final.
func (c *Client) loop(ctx context.Context) error {
	attempt := 0
	for {
		if err := c.waitOnline(ctx); err != nil {
			return err
		}
		began := time.Now()
		err := c.connectOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		code := websocket.CloseStatus(err)
		if code != -1 && !wire.Retryable(code) {
			return fmt.Errorf("server closed the connection: %w", err)
		}
		c.log.Debug("disconnected", "err", err)
		if time.Since(began) > c.cfg.BackoffMax {
			attempt = 0 // it was a good connection; start backoff afresh
		}
		c.setStatus(StatusReconnecting)
		if err := sleep(ctx, backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)); err != nil {
			return err
		}
		attempt++
	}
}

// backoff returns a full-jitter delay for the given attempt.
func backoff(attempt int, base, max time.Duration) time.Duration {
	d := max
	if attempt < 30 {
		d = min(max, base<<attempt)
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetOffline simulates losing (true) or regaining (false) the network:
// the connection is dropped and not retried until the client is online.
// Edits keep working offline and are sent after the next sync.
func (c *Client) SetOffline(off bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offline == off {
		return
	}
	c.offline = off
	if off {
		if c.conn != nil {
			c.conn.CloseNow()
		}
		c.status = StatusOffline
	} else {
		close(c.online)
		c.online = make(chan struct{})
	}
	c.notifyLocked()
}

func (c *Client) waitOnline(ctx context.Context) error {
	for {
		c.mu.Lock()
		off, online := c.offline, c.online
		c.mu.Unlock()
		if !off {
			return nil
		}
		select {
		case <-online:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *Client) setStatus(s Status) {
	c.mu.Lock()
	if !c.offline || s == StatusOffline {
		c.status = s
	}
	c.notifyLocked()
	c.mu.Unlock()
}

// notifyLocked wakes Wait callers; c.mu is held.
func (c *Client) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Wait blocks until cond, evaluated after every change, holds or ctx is
// done. cond runs without the client's lock held.
func (c *Client) Wait(ctx context.Context, cond func(*Client) bool) error {
	for {
		c.mu.Lock()
		ch := c.changed
		c.mu.Unlock()
		if cond(c) {
			return nil
		}
		select {
		case <-ch:
		case <-c.done:
			if cond(c) {
				return nil
			}
			if err := c.Err(); err != nil {
				return err
			}
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSynced waits until the client is live and synced with the server and
// every local change it sent has been acknowledged.
func (c *Client) WaitSynced(ctx context.Context) error {
	return c.Wait(ctx, func(c *Client) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.synced && c.status == StatusLive && len(c.localOnly) == 0
	})
}
