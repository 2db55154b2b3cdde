package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

func startServer(t *testing.T, cfg gateway.Config) *gatewaytest.Env {
	t.Helper()
	return gatewaytest.Start(t, cfg)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// raw is a protocol-level test client: it sends exactly the bytes a test
// chooses and records every frame it reads.
type raw struct {
	t    *testing.T
	env  *gatewaytest.Env
	conn *websocket.Conn
	doc  *crdt.Doc // replica built from what the server sent
	role catalog.Role
	// rest holds frames of the last message that came after a match, so
	// the next read sees them (the server coalesces frames).
	rest []wire.Frame
}

func dialRaw(t *testing.T, ctx context.Context, env *gatewaytest.Env) *raw {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, env.URL,
		&websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	conn.SetReadLimit(64 << 20)
	t.Cleanup(func() { conn.CloseNow() })
	return &raw{t: t, env: env, conn: conn, role: catalog.RoleTeacher}
}

func (r *raw) send(ctx context.Context, msg []byte) {
	r.t.Helper()
	if err := r.conn.Write(ctx, websocket.MessageBinary, msg); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// hello enrolls user in session with the raw client's role (teacher unless
// a test sets it: most tests here are not about permissions) and joins with
// a valid token.
func (r *raw) hello(ctx context.Context, session, user string, heads []string) {
	r.send(ctx, wire.JSONFrame(wire.TypeHello, wire.Hello{
		Protocol: wire.Version, Session: session, Heads: heads,
		Token: r.env.Token(r.t, session, user, r.role),
	}))
}

// join says hello and reads until synced, keeping a replica.
func (r *raw) join(ctx context.Context, session, user string) []string {
	r.t.Helper()
	r.hello(ctx, session, user, nil)
	var synced wire.Synced
	r.until(ctx, func(f wire.Frame) bool {
		if f.Type == wire.TypeSynced {
			json.Unmarshal(f.Payload, &synced)
			return true
		}
		return false
	})
	return synced.Heads
}

// until reads frames, applying documents and changes to the replica, until
// match returns true. It fails the test on a read error.
func (r *raw) until(ctx context.Context, match func(wire.Frame) bool) {
	r.t.Helper()
	if err := r.read(ctx, match); err != nil {
		r.t.Fatalf("read: %v", err)
	}
}

func (r *raw) read(ctx context.Context, match func(wire.Frame) bool) error {
	return r.readFrames(ctx, true, match)
}

// readRaw reads like read without applying anything to the replica.
func (r *raw) readRaw(ctx context.Context, match func(wire.Frame) bool) error {
	return r.readFrames(ctx, false, match)
}

func (r *raw) readFrames(ctx context.Context, apply bool, match func(wire.Frame) bool) error {
	for {
		for len(r.rest) > 0 {
			f := r.rest[0]
			r.rest = r.rest[1:]
			if !apply {
				f.Payload = bytes.Clone(f.Payload)
			} else if err := r.apply(f); err != nil {
				return err
			}
			if match(f) {
				return nil
			}
		}
		_, msg, err := r.conn.Read(ctx)
		if err != nil {
			return err
		}
		frames, err := wire.Split(msg, 1<<16)
		if err != nil {
			return fmt.Errorf("server sent a malformed message: %w", err)
		}
		r.rest = frames
	}
}

func (r *raw) apply(f wire.Frame) error {
	switch f.Type {
	case wire.TypeSnapshot:
		d, err := crdt.Load(f.Payload)
		if err != nil {
			return err
		}
		r.doc = d
	case wire.TypeChanges:
		_, chunks, err := wire.ParseChanges(f.Payload)
		if err != nil {
			return err
		}
		if r.doc == nil {
			return errors.New("changes before snapshot")
		}
		if _, err := r.doc.ApplyChanges(chunks); err != nil {
			return err
		}
	}
	return nil
}

// expectError reads until an error frame and returns it.
func (r *raw) expectError(ctx context.Context) wire.Error {
	r.t.Helper()
	var e wire.Error
	r.until(ctx, func(f wire.Frame) bool {
		if f.Type != wire.TypeError {
			return false
		}
		if err := json.Unmarshal(f.Payload, &e); err != nil {
			r.t.Fatalf("error frame: %v", err)
		}
		return true
	})
	return e
}

// expectClose reads until the server closes and returns the close code.
func (r *raw) expectClose(ctx context.Context) websocket.StatusCode {
	r.t.Helper()
	err := r.readRaw(ctx, func(wire.Frame) bool { return false })
	return websocket.CloseStatus(err)
}

// strokeChange makes a real change chunk on a replica of the session.
func strokeChange(t *testing.T, doc *crdt.Doc, id string, points int) []byte {
	t.Helper()
	pts := make([]float64, 2*points)
	for i := range pts {
		pts[i] = float64(i)
	}
	if err := doc.AddStroke(crdt.Stroke{ID: id, Author: "u", Tool: "pen", Color: "#000000", Width: 1, Points: pts}); err != nil {
		t.Fatal(err)
	}
	a, err := doc.Commit("")
	if err != nil {
		t.Fatal(err)
	}
	return a.Chunks
}

func getStatus(t *testing.T, url string) (int, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// bigChange makes a change of about size bytes cheaply: one text stroke
// whose text is size pseudo-random letters.
func bigChange(t *testing.T, doc *crdt.Doc, id string, size int) []byte {
	t.Helper()
	text := make([]byte, size)
	x := uint32(len(id)*7919 + size)
	for i := range text {
		x = x*1664525 + 1013904223
		text[i] = 'a' + byte(x>>24)%26
	}
	if err := doc.AddStroke(crdt.Stroke{ID: id, Author: "u", Tool: "text", Color: "#000000", Width: 1, Text: string(text)}); err != nil {
		t.Fatal(err)
	}
	a, err := doc.Commit("")
	if err != nil {
		t.Fatal(err)
	}
	return a.Chunks
}
