package client_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/client"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
)

func startServer(t *testing.T, cfg gateway.Config) *gatewaytest.Env {
	return gatewaytest.Start(t, cfg)
}

func newClient(t *testing.T, env *gatewaytest.Env, session, user string, tweak func(*client.Config)) *client.Client {
	t.Helper()
	return newClientAs(t, env, session, user, catalog.RoleStudent, tweak)
}

func newClientAs(t *testing.T, env *gatewaytest.Env, session, user string, role catalog.Role, tweak func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		URL: env.URL, Session: session, Name: user, User: user,
		Token:       env.Token(t, session, user, role),
		BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Start(context.Background())
	t.Cleanup(func() { c.Close() })
	return c
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func stroke(id string, x float64) crdt.Stroke {
	return crdt.Stroke{ID: id, Tool: "pen", Color: "#112233", Width: 2, Points: []float64{x, 1, x + 1, 2}}
}

func boardSize(c *client.Client) int {
	st, err := c.State()
	if err != nil {
		return -1
	}
	return len(st.Board)
}

// converged waits until every client is synced and all share heads and JSON.
func converged(t *testing.T, ctx context.Context, clients ...*client.Client) {
	t.Helper()
	for _, c := range clients {
		if err := c.WaitSynced(ctx); err != nil {
			t.Fatalf("wait synced: %v", err)
		}
	}
	err := clients[0].Wait(ctx, func(*client.Client) bool {
		want := fmt.Sprint(clients[0].Heads())
		for _, c := range clients[1:] {
			if fmt.Sprint(c.Heads()) != want {
				return false
			}
		}
		return true
	})
	if err != nil {
		for _, c := range clients {
			t.Logf("heads %v", c.Heads())
		}
		t.Fatalf("heads did not converge: %v", err)
	}
	// Heads can agree while another replica is one notification behind;
	// poll briefly for the JSON to settle.
	deadline := time.Now().Add(5 * time.Second)
	for {
		want, _ := clients[0].JSON()
		same := true
		for _, c := range clients[1:] {
			if got, _ := c.JSON(); !bytes.Equal(got, want) {
				same = false
			}
		}
		if same {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("documents differ with equal heads")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentEditsConverge(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	ctx := waitCtx(t)
	const n, each = 5, 10
	var clients []*client.Client
	for i := range n {
		clients = append(clients, newClient(t, srv, "converge", fmt.Sprintf("u%d", i), nil))
	}
	for _, c := range clients {
		if err := c.WaitSynced(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			for j := range each {
				if err := c.AddStroke(ctx, stroke(fmt.Sprintf("s-%d-%d", i, j), float64(j))); err != nil {
					t.Error(err)
				}
			}
			if err := c.RaiseHand(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rosterFull := func(c *client.Client) bool {
		st, err := c.State()
		return err == nil && len(st.Presence) == n
	}
	for _, c := range clients {
		if err := c.Wait(ctx, rosterFull); err != nil {
			t.Fatalf("roster never listed all %d members: %v", n, err)
		}
		if err := c.Wait(ctx, func(c *client.Client) bool { return boardSize(c) == n*each }); err != nil {
			t.Fatalf("board never reached %d strokes: %v (has %d)", n*each, err, boardSize(c))
		}
	}
	converged(t, ctx, clients...)
	st, err := clients[0].State()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Hands) != n {
		t.Fatalf("hands = %d, want %d", len(st.Hands), n)
	}
	if len(st.Presence) != n {
		t.Fatalf("roster = %d, want %d", len(st.Presence), n)
	}
	if st.Meta.Session != "converge" {
		t.Fatalf("meta.session = %q", st.Meta.Session)
	}
}

func TestOfflineEditsResync(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	ctx := waitCtx(t)
	teacher := newClientAs(t, srv, "offline", "teacher", catalog.RoleTeacher, nil)
	tablet := newClient(t, srv, "offline", "tablet", nil)
	converged(t, ctx, teacher, tablet)

	tablet.SetOffline(true)
	if err := tablet.Wait(ctx, func(c *client.Client) bool { return c.Status() == client.StatusOffline }); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := tablet.AddStroke(ctx, stroke(fmt.Sprintf("tab-%d", i), float64(i))); err != nil {
			t.Fatal(err)
		}
		if err := teacher.AddStroke(ctx, stroke(fmt.Sprintf("tea-%d", i), float64(i))); err != nil {
			t.Fatal(err)
		}
	}
	if got := tablet.Unacked(); got != 3 {
		t.Fatalf("tablet has %d unacked changes offline, want 3", got)
	}
	tablet.SetOffline(false)
	for _, c := range []*client.Client{teacher, tablet} {
		if err := c.Wait(ctx, func(c *client.Client) bool { return boardSize(c) == 6 }); err != nil {
			t.Fatalf("board = %d: %v", boardSize(c), err)
		}
	}
	converged(t, ctx, teacher, tablet)
	if tablet.Stats().Reconnects == 0 {
		t.Fatal("tablet never reconnected")
	}
}

func TestForcedSyncModeConverges(t *testing.T) {
	srv := startServer(t, gateway.Config{})
	ctx := waitCtx(t)
	a := newClient(t, srv, "syncmode", "a", func(c *client.Config) { c.ForceSync = true })
	b := newClient(t, srv, "syncmode", "b", nil)
	converged(t, ctx, a, b)
	a.SetOffline(true)
	for i := range 4 {
		if err := a.AddStroke(ctx, stroke(fmt.Sprintf("a-%d", i), 1)); err != nil {
			t.Fatal(err)
		}
		if err := b.AddStroke(ctx, stroke(fmt.Sprintf("b-%d", i), 2)); err != nil {
			t.Fatal(err)
		}
	}
	a.SetOffline(false)
	for _, c := range []*client.Client{a, b} {
		if err := c.Wait(ctx, func(c *client.Client) bool { return boardSize(c) == 8 }); err != nil {
			t.Fatalf("board = %d: %v", boardSize(c), err)
		}
	}
	if a.Welcome().Mode != "sync" {
		t.Fatalf("reconnect mode = %q, want sync", a.Welcome().Mode)
	}
}

func TestGracefulShutdownKeepsAcknowledgedChanges(t *testing.T) {
	env1 := startServer(t, gateway.Config{})
	ctx := waitCtx(t)
	c := newClient(t, env1, "shutdown", "writer", nil)
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := c.AddStroke(ctx, stroke(fmt.Sprintf("s%d", i), float64(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitSynced(ctx); err != nil { // all 20 acknowledged
		t.Fatal(err)
	}
	addr := env1.Server.Addr()
	env1.Stop()

	// A new node on the same address, store and catalog: the session
	// reloads and the client reconnects by itself.
	env2 := gatewaytest.StartWith(t, gateway.Config{}, gatewaytest.Options{Docs: env1.Docs, Catalog: env1.Catalog, Addr: addr})
	fresh := newClient(t, env2, "shutdown", "reader", nil)
	if err := fresh.Wait(ctx, func(c *client.Client) bool { return boardSize(c) == 20 }); err != nil {
		t.Fatalf("after restart the board has %d strokes: %v", boardSize(fresh), err)
	}
	converged(t, ctx, c, fresh)
	if c.Stats().Reconnects == 0 {
		t.Fatal("the writer never reconnected to the new node")
	}
}

// TestResetKeepsOwnHand: a student who drew and raised a hand offline
// while the board was locked is refused on return; the client starts over
// from the server's copy, drops the stroke and raises the hand again.
func TestResetKeepsOwnHand(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := waitCtx(t)
	teacher := newClientAs(t, env, "reset", "teacher", catalog.RoleTeacher, nil)
	tablet := newClient(t, env, "reset", "tablet", nil)
	converged(t, ctx, teacher, tablet)

	tablet.SetOffline(true)
	if err := tablet.AddStroke(ctx, stroke("offline-stroke", 1)); err != nil {
		t.Fatal(err)
	}
	if err := tablet.RaiseHand(ctx); err != nil {
		t.Fatal(err)
	}
	// The teacher locks the board while the tablet is away.
	s, _ := env.Catalog.GetSession(ctx, "reset")
	s.Settings.BoardLocked = true
	if _, err := env.Catalog.PutSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := teacher.Wait(ctx, func(c *client.Client) bool {
		st, err := c.State()
		return err == nil && st.Meta.Settings.BoardLocked
	}); err != nil {
		t.Fatal(err)
	}
	tablet.SetOffline(false)
	if err := teacher.Wait(ctx, func(c *client.Client) bool {
		st, err := c.State()
		return err == nil && st.Hands["tablet"] != 0
	}); err != nil {
		t.Fatalf("the tablet's hand never came back: %v", err)
	}
	converged(t, ctx, teacher, tablet)
	st, _ := tablet.State()
	if _, ok := st.Board["offline-stroke"]; ok {
		t.Fatal("the stroke drawn against a locked board survived")
	}
	if tablet.Stats().Resets == 0 {
		t.Fatal("no reset happened")
	}
	var sawLocked bool
	for _, e := range tablet.Errors() {
		sawLocked = sawLocked || (e.Code == "board_locked" && e.Reset)
	}
	if !sawLocked {
		t.Fatalf("errors = %+v, want board_locked with reset", tablet.Errors())
	}
}
