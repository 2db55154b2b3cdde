package rooms

import (
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// fakeConn records the frames a session sends to one member.
type fakeConn struct {
	mu     sync.Mutex
	frames []wire.Frame
	closed websocket.StatusCode
	notify chan struct{}
}

func newFakeConn() *fakeConn { return &fakeConn{notify: make(chan struct{}, 1)} }

func (c *fakeConn) add(frame []byte) bool {
	f, _, err := wire.Next(frame)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.frames = append(c.frames, f)
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
	return true
}

func (c *fakeConn) Send(frame []byte) bool                { return c.add(frame) }
func (c *fakeConn) SendAt(frame []byte, _ time.Time) bool { return c.add(frame) }
func (c *fakeConn) SendInitial(frame []byte) bool         { return c.add(frame) }
func (c *fakeConn) SendEphemeral(frame []byte) bool       { return c.add(frame) }
func (c *fakeConn) Close(code websocket.StatusCode, _ string) {
	c.mu.Lock()
	c.closed = code
	c.mu.Unlock()
}

func (c *fakeConn) types() []wire.Type {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]wire.Type, len(c.frames))
	for i, f := range c.frames {
		out[i] = f.Type
	}
	return out
}

// mustParse parses change chunks as the gateway does before a session
// sees them.
func mustParse(t testing.TB, b []byte) []crdt.Chunk {
	t.Helper()
	cs, err := crdt.ParseChunks(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// count returns how many frames of type t were sent.
func (c *fakeConn) count(t wire.Type) int {
	n := 0
	for _, ty := range c.types() {
		if ty == t {
			n++
		}
	}
	return n
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}

// discardConn drops everything; benchmarks use it.
type discardConn struct{}

func (discardConn) Send([]byte) bool                   { return true }
func (discardConn) SendAt([]byte, time.Time) bool      { return true }
func (discardConn) SendInitial([]byte) bool            { return true }
func (discardConn) SendEphemeral([]byte) bool          { return true }
func (discardConn) Close(websocket.StatusCode, string) {}
