package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/client"
)

// startServe runs `homeroom serve --demo` on the data directory and returns
// its address and the printed tokens by user, and a stop function.
func startServe(t *testing.T, dataDir string) (addr string, tokens map[string]string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--demo", "--log-level", "warn"}, pw, io.Discard)
		pw.Close()
	}()
	addr, tokens = scanServeOutput(pr)
	go io.Copy(io.Discard, pr)
	if addr == "" || len(tokens) == 0 {
		cancel()
		t.Fatalf("serve printed no address or tokens (exit %v)", <-done)
	}
	return addr, tokens, func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}
}

// scanServeOutput reads what `serve --demo` prints until its tokens: the
// listen address and the demo users' tokens.
func scanServeOutput(r io.Reader) (addr string, tokens map[string]string) {
	tokens = map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "homeroom listening on http://"); ok {
			addr, _, _ = strings.Cut(rest, " ")
		}
		if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(f[1], "demo-") {
			tokens[f[1]] = f[2]
		}
		if strings.HasPrefix(line, "Try it:") {
			break
		}
	}
	return addr, tokens
}

// TestServeEmbeddedStoreSurvivesRestart is the make run path: serve on the
// embedded store with the demo, draw, stop, start again on the same data
// directory: the enrollments, the tokens' secret and the board are there.
func TestServeEmbeddedStoreSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	addr, tokens, stop := startServe(t, dir)
	c, err := client.New(client.Config{URL: "ws://" + addr + "/ws", Session: demoSession, Token: tokens[demoTeacher]})
	if err != nil {
		t.Fatal(err)
	}
	c.Start(ctx)
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.AddStroke(ctx, crdt.Stroke{ID: "before-restart", Tool: "pen", Color: "#000000", Width: 2, Points: []float64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	c.Close()
	stop()

	addr, tokens2, stop := startServe(t, dir)
	defer stop()
	// The same secret signs the same claims: an old token still works.
	c2, err := client.New(client.Config{URL: "ws://" + addr + "/ws", Session: demoSession, Token: tokens[demoTeacher]})
	if err != nil {
		t.Fatal(err)
	}
	c2.Start(ctx)
	defer c2.Close()
	if err := c2.Wait(ctx, func(c *client.Client) bool {
		st, err := c.State()
		_, ok := st.Board["before-restart"]
		return err == nil && ok
	}); err != nil {
		t.Fatalf("the stroke did not survive the restart: %v", err)
	}
	if len(tokens2) != len(tokens) {
		t.Fatalf("second start printed %d tokens, first %d", len(tokens2), len(tokens))
	}
}
