package peer

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// pair returns a server-side peer (not yet running) and the client end of
// its connection.
func pair(t *testing.T, cfg Config) (*Peer, *websocket.Conn) {
	t.Helper()
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		conns <- c
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	client, _, err := websocket.Dial(ctx, "ws"+srv.URL[4:], nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.CloseNow() })
	return New(<-conns, cfg, nil), client
}

// run starts the writer; the test may receive its result once from the
// returned channel, and cleanup waits for it to end either way.
func run(t *testing.T, p *Peer) <-chan error {
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done <- p.Run(context.Background())
	}()
	t.Cleanup(func() {
		p.Abort(websocket.StatusGoingAway, "test over")
		<-finished
	})
	return done
}

func TestCoalescesQueuedFramesIntoOneMessage(t *testing.T) {
	p, client := pair(t, Config{})
	for i := range 5 {
		p.Send(wire.EncodeFrame(wire.TypeAck, []byte{byte('0' + i)}))
	}
	run(t, p)
	_, msg, err := client.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	frames, err := wire.Split(msg, 16)
	if err != nil || len(frames) != 5 {
		t.Fatalf("got %d frames in the first message (%v), want 5 coalesced", len(frames), err)
	}
	for i, f := range frames {
		if f.Payload[0] != byte('0'+i) {
			t.Fatalf("frame %d out of order", i)
		}
	}
}

func TestEphemeralDroppedBeforeDurable(t *testing.T) {
	p, _ := pair(t, Config{QueueFrames: 4})
	// The writer is not running, so everything stays queued.
	for range 3 {
		if !p.SendEphemeral([]byte("cursor")) {
			t.Fatal("ephemeral frame refused with room left")
		}
	}
	p.Send([]byte("a"))
	if p.SendEphemeral([]byte("cursor")) {
		t.Fatal("ephemeral frame queued into a full queue")
	}
	// A durable frame evicts the queued presence instead of failing.
	if !p.Send([]byte("b")) {
		t.Fatal("durable frame refused while presence could be dropped")
	}
	if n, _ := p.Queued(); n != 2 {
		t.Fatalf("queued = %d, want the 2 durable frames", n)
	}
}

func TestSlowConsumerIsClosed(t *testing.T) {
	p, client := pair(t, Config{QueueFrames: 2})
	p.Send([]byte("a"))
	p.Send([]byte("b"))
	if p.Send([]byte("c")) {
		t.Fatal("third durable frame accepted past the bound")
	}
	if p.Send([]byte("d")) {
		t.Fatal("a closing peer accepted a frame")
	}
	done := run(t, p)
	_, _, err := client.Read(context.Background())
	if code := websocket.CloseStatus(err); code != wire.CloseSlowConsumer {
		t.Fatalf("client saw %v, want close 4008", err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("Run = %v, want ErrClosed", err)
	}
}

func TestInitialFramesAreNotBounded(t *testing.T) {
	p, client := pair(t, Config{QueueFrames: 2, QueueBytes: 1024})
	client.SetReadLimit(1 << 20)
	big := make([]byte, 64<<10)
	for range 4 {
		if !p.SendInitial(big) {
			t.Fatal("initial frame refused")
		}
	}
	if !p.Send([]byte("after")) {
		t.Fatal("durable frame refused behind initial frames")
	}
	run(t, p)
	got := 0
	for got < 4*len(big)+5 {
		_, msg, err := client.Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got += len(msg)
	}
}

func TestCloseFlushesThenSendsCode(t *testing.T) {
	p, client := pair(t, Config{})
	p.Send(wire.EncodeFrame(wire.TypeAck, []byte("last")))
	p.Close(wire.CloseServiceRestart, "restarting")
	run(t, p)
	_, msg, err := client.Read(context.Background())
	if err != nil {
		t.Fatalf("queued frame lost on close: %v", err)
	}
	if f, _, err := wire.Next(msg); err != nil || string(f.Payload) != "last" {
		t.Fatalf("frame = %q, %v", f.Payload, err)
	}
	_, _, err = client.Read(context.Background())
	if code := websocket.CloseStatus(err); code != wire.CloseServiceRestart {
		t.Fatalf("close code = %d, want 1012", code)
	}
}

// TestCoalesceBudgetWritesFramesSeparately: past the process-wide budget a
// peer writes each queued frame as its own message, in order, instead of
// copying them into one.
func TestCoalesceBudgetWritesFramesSeparately(t *testing.T) {
	saved := coalesceBudget
	coalesceBudget = 0
	t.Cleanup(func() { coalesceBudget = saved })
	p, client := pair(t, Config{})
	for i := range 5 {
		p.Send(wire.EncodeFrame(wire.TypeAck, []byte{byte('0' + i)}))
	}
	run(t, p)
	for i := range 5 {
		_, msg, err := client.Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		frames, err := wire.Split(msg, 16)
		if err != nil || len(frames) != 1 || frames[0].Payload[0] != byte('0'+i) {
			t.Fatalf("message %d = %v (%v), want frame %d alone", i, frames, err, i)
		}
	}
	if n := coalescing.Load(); n != 0 {
		t.Fatalf("%d bytes still counted as coalescing", n)
	}
}
