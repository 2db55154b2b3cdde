package gateway_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/peer"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

func TestHTTPEndpoints(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	base := srv.HTTP
	if code, _ := getStatus(t, base+"/healthz"); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	if code, _ := getStatus(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz = %d", code)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, name := range []string{"homeroom_connections", "homeroom_frames_in_total",
		"homeroom_send_queue_drops_total", "homeroom_fanout_latency_seconds"} {
		if !bytes.Contains(body, []byte(name)) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

func TestUpgradeWithoutSubprotocolIsRefused(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	_, resp, err := websocket.Dial(testCtx(t), srv.URL, nil)
	if err == nil {
		t.Fatal("dial without homeroom.v1 succeeded")
	}
	if resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("response = %v, want 400", resp)
	}
}

func TestConnectionCap(t *testing.T) {
	srv := startServer(t, gateway.Config{MaxConnections: 2})
	ctx := testCtx(t)
	a, b := dialRaw(t, ctx, srv), dialRaw(t, ctx, srv)
	a.join(ctx, "cap", "a")
	b.join(ctx, "cap", "b")
	_, resp, err := websocket.Dial(ctx, srv.URL,
		&websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err == nil {
		t.Fatal("third connection accepted over the cap")
	}
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("response = %+v, want 503 with Retry-After", resp)
	}
}

func TestBadHello(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
	}{
		{"not a hello", wire.JSONFrame(wire.TypePresence, wire.Presence{})},
		{"wrong protocol", wire.JSONFrame(wire.TypeHello, wire.Hello{Protocol: 9, Session: "s", Name: "n"})},
		{"no session", wire.JSONFrame(wire.TypeHello, wire.Hello{Protocol: 1, Name: "n"})},
		{"bad mode", wire.JSONFrame(wire.TypeHello, wire.Hello{Protocol: 1, Session: "s", Mode: "turbo"})},
		{"json garbage", wire.EncodeFrame(wire.TypeHello, []byte("{nope"))},
		{"truncated frame", []byte{0x01, 0x40, '{'}},
	}
	srv := startServer(t, gateway.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testCtx(t)
			r := dialRaw(t, ctx, srv)
			r.send(ctx, tt.msg)
			e := r.expectError(ctx)
			if e.Code != wire.CodeBadFrame {
				t.Fatalf("error code = %s", e.Code)
			}
			if code := r.expectClose(ctx); code != wire.CloseProtocolError {
				t.Fatalf("close = %d, want 4000", code)
			}
		})
	}
}

// TestBadFramesLeaveSessionIntact sends every kind of malformed input
// after joining: each gets its error frame, the connection stays up, and
// another member's view of the document is unchanged.
func TestBadFramesLeaveSessionIntact(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	bystander := dialRaw(t, ctx, srv)
	bystander.join(ctx, "bad", "bystander")
	r := dialRaw(t, ctx, srv)
	r.join(ctx, "bad", "mallory")

	good := strokeChange(t, r.doc, "ok", 3)
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-1] ^= 0xff // checksum no longer matches

	cases := []struct {
		name string
		msg  []byte
		code wire.Code
	}{
		{"truncated frame", []byte{0x04, 0x7f, 1}, wire.CodeBadFrame},
		{"unknown frame type", wire.EncodeFrame(0x7e, []byte("x")), wire.CodeUnknownFrame},
		{"server-only frame", wire.JSONFrame(wire.TypeAck, wire.Ack{Ref: 1}), wire.CodeUnknownFrame},
		{"second hello", wire.JSONFrame(wire.TypeHello, wire.Hello{Protocol: 1, Session: "x", Name: "x"}), wire.CodeAlreadyJoined},
		{"changes without ref", wire.AppendChanges(nil, 0, good), wire.CodeBadFrame},
		{"garbage automerge bytes", wire.AppendChanges(nil, 1, []byte("not automerge at all")), wire.CodeBadChange},
		{"bad checksum", wire.AppendChanges(nil, 2, corrupt), wire.CodeBadChange},
		{"truncated change", wire.AppendChanges(nil, 3, good[:len(good)/2]), wire.CodeBadChange},
		{"bad presence", wire.EncodeFrame(wire.TypePresence, []byte(`{"cursor":[1,2,3]}`)), wire.CodeBadFrame},
		{"app without type", wire.EncodeFrame(wire.TypeApp, []byte(`{}`)), wire.CodeBadFrame},
		{"unhandled app", wire.EncodeFrame(wire.TypeApp, []byte(`{"type":"nope"}`)), wire.CodeUnsupported},
		{"garbage sync", wire.EncodeFrame(wire.TypeSync, []byte{0x42, 0xff}), wire.CodeBadSync},
	}
	before, _ := bystander.doc.JSON()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.send(ctx, c.msg)
			if e := r.expectError(ctx); e.Code != c.code {
				t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, c.code)
			}
		})
	}
	// The connection still works: a valid change is acknowledged and
	// reaches the bystander.
	r.send(ctx, wire.AppendChanges(nil, 9, good))
	r.until(ctx, func(f wire.Frame) bool { return f.Type == wire.TypeAck })
	bystander.until(ctx, func(f wire.Frame) bool { return f.Type == wire.TypeChanges && bytes.Contains(f.Payload, good) })
	after, _ := bystander.doc.JSON()
	if bytes.Equal(before, after) || !strings.Contains(string(after), `"ok"`) {
		t.Fatalf("bystander's document did not get exactly the valid stroke:\n%s", after)
	}
}

func TestMissingDepsIsTemporary(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	r := dialRaw(t, ctx, srv)
	r.join(ctx, "deps", "a")
	first := strokeChange(t, r.doc, "one", 2)
	second := strokeChange(t, r.doc, "two", 2)
	r.send(ctx, wire.AppendChanges(nil, 1, second)) // depends on first
	e := r.expectError(ctx)
	if e.Code != wire.CodeMissingDeps || !e.Temporary || e.Ref != 1 {
		t.Fatalf("error = %+v", e)
	}
	r.send(ctx, wire.AppendChanges(nil, 2, append(bytes.Clone(first), second...)))
	r.until(ctx, func(f wire.Frame) bool {
		var a wire.Ack
		return f.Type == wire.TypeAck && json.Unmarshal(f.Payload, &a) == nil && a.Ref == 2
	})
}

func TestOversizedMessageCloses1009(t *testing.T) {
	srv := startServer(t, gateway.Config{MaxMessageBytes: 4096})
	ctx := testCtx(t)
	r := dialRaw(t, ctx, srv)
	r.join(ctx, "big", "a")
	r.send(ctx, wire.EncodeFrame(wire.TypeApp, bytes.Repeat([]byte("x"), 8192)))
	if code := r.expectClose(ctx); code != websocket.StatusMessageTooBig {
		t.Fatalf("close = %d, want 1009", code)
	}
}

func TestFloodIsRateLimitedThenClosed(t *testing.T) {
	srv := startServer(t, gateway.Config{RatePerSecond: 5, Burst: 5, FloodStrikes: 20})
	ctx := testCtx(t)
	quiet := dialRaw(t, ctx, srv)
	quiet.join(ctx, "flood", "quiet")
	r := dialRaw(t, ctx, srv)
	r.role = catalog.RoleStudent
	r.join(ctx, "flood", "flooder")
	presence := wire.JSONFrame(wire.TypePresence, wire.Presence{Cursor: []float64{1, 1}})
	for range 40 {
		if err := r.conn.Write(ctx, websocket.MessageBinary, presence); err != nil {
			break // the server may already have closed us
		}
	}
	var sawLimit bool
	err := r.read(ctx, func(f wire.Frame) bool {
		if f.Type == wire.TypeError {
			var e wire.Error
			json.Unmarshal(f.Payload, &e)
			sawLimit = sawLimit || e.Code == wire.CodeRateLimited
		}
		return false
	})
	if code := websocket.CloseStatus(err); code != wire.CloseFlood {
		t.Fatalf("close = %d (%v), want 4029", code, err)
	}
	if !sawLimit {
		t.Fatal("no rate_limited error before the close")
	}
	// The quiet member is unaffected: it can still write and be acked.
	change := strokeChange(t, quiet.doc, "still-here", 1)
	quiet.send(ctx, wire.AppendChanges(nil, 1, change))
	quiet.until(ctx, func(f wire.Frame) bool { return f.Type == wire.TypeAck })
}

// TestSlowReaderIsDroppedAndResyncs: a member that stops reading is closed
// for falling behind while an active member keeps receiving everything;
// on reconnect with its last server heads it gets exactly what it missed.
func TestSlowReaderIsDroppedAndResyncs(t *testing.T) {
	srv := startServer(t, gateway.Config{RatePerSecond: 1e4, Burst: 1e4, Peer: peer.Config{QueueFrames: 32, QueueBytes: 256 << 10, WriteTimeout: 2 * time.Second}})
	ctx := testCtx(t)
	teacher := dialRaw(t, ctx, srv)
	teacher.join(ctx, "slow", "teacher")
	fast := dialRaw(t, ctx, srv)
	fast.join(ctx, "slow", "fast")
	slow := dialRaw(t, ctx, srv)
	heads := slow.join(ctx, "slow", "slow")
	// slow stops reading here.

	const changes = 150
	boardHas := func(r *raw, n int) func(wire.Frame) bool {
		return func(wire.Frame) bool {
			st, err := r.doc.State()
			return err == nil && len(st.Board) == n
		}
	}

	// The reading member only collects frames while the class goes on
	// (applying them as fast as they come is not what is under test) and
	// checks its document at the end.
	fastDone := make(chan error, 1)
	fastSaw := make(chan struct{}, changes)
	var collected [][]byte
	go func() {
		seen := 0
		fastDone <- fast.readRaw(ctx, func(f wire.Frame) bool {
			if f.Type == wire.TypeChanges {
				collected = append(collected, f.Payload)
				if len(f.Payload) > 10_000 {
					seen++
					fastSaw <- struct{}{}
				}
			}
			return seen == changes
		})
	}()
	for i := range changes {
		ch := bigChange(t, teacher.doc, fmt.Sprintf("s%03d", i), 100_000)
		ref := uint64(i + 1)
		teacher.send(ctx, wire.AppendChanges(nil, ref, ch))
		teacher.until(ctx, func(f wire.Frame) bool {
			var a wire.Ack
			return f.Type == wire.TypeAck && json.Unmarshal(f.Payload, &a) == nil && a.Ref == ref
		})
		// The class goes at the pace of its reading members: on a loaded
		// machine the teacher could otherwise outrun even the one that
		// reads, and the test is about the one that does not.
		select {
		case <-fastSaw:
		case err := <-fastDone:
			if err != nil || i < changes-1 {
				t.Fatalf("the reading member stopped after %d changes: %v", i, err)
			}
			fastDone <- nil // it has seen them all
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	if err := <-fastDone; err != nil {
		t.Fatalf("the reading member missed changes: %v", err)
	}
	for _, p := range collected {
		if err := fast.apply(wire.Frame{Type: wire.TypeChanges, Payload: p}); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := fast.doc.State(); err != nil || len(st.Board) != changes {
		t.Fatalf("reading member's board has %d strokes (%v), want %d", len(st.Board), err, changes)
	}

	code := slow.expectClose(ctx)
	if code != wire.CloseSlowConsumer && code != -1 {
		t.Fatalf("slow reader closed with %d, want 4008 or a dropped connection", code)
	}
	again := dialRaw(t, ctx, srv)
	again.doc = slow.doc
	again.hello(ctx, "slow", "slow", heads)
	var w wire.Welcome
	again.until(ctx, func(f wire.Frame) bool {
		return f.Type == wire.TypeWelcome && json.Unmarshal(f.Payload, &w) == nil
	})
	if w.Mode != wire.ModeChanges {
		t.Fatalf("reconnect with known heads joined in mode %q", w.Mode)
	}
	again.until(ctx, boardHas(again, changes))
}
