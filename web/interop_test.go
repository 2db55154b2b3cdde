package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/client"
	"github.com/homeroom-edu/homeroom/sync/gateway"
)

// jsResult is what web/client/interop.mjs prints.
type jsResult struct {
	Heads []string   `json:"heads"`
	State crdt.State `json:"state"`
}

// runJS runs the Node interop client and decodes its one line of output.
func runJS(ctx context.Context, t *testing.T, args ...string) (jsResult, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for the interop test (make test installs the client's npm packages)")
	}
	script, _ := filepath.Abs("client/interop.mjs")
	cmd := exec.CommandContext(ctx, node, append([]string{"--experimental-websocket", "--no-warnings", script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return jsResult{}, fmt.Errorf("interop.mjs %v: %w\n%s", args, err, stderr.String())
	}
	var r jsResult
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return r, fmt.Errorf("interop.mjs output %q: %w", stdout.String(), err)
	}
	return r, nil
}

// TestJavaScriptAndGoClientsConverge has two Node clients and one Go
// client draw in the same session at once; a final Node client joins
// fresh after the others settle, and the Go client must reach exactly its
// heads and document.
func TestJavaScriptAndGoClientsConverge(t *testing.T) {
	srv, err := gateway.NewServer(gateway.Config{Addr: "127.0.0.1:0"}, store.NewMemory(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(sctx)
	}()
	defer func() {
		stop()
		<-served
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	url := "ws://" + srv.Addr() + "/ws"
	const session = "interop"

	gc, err := client.New(client.Config{URL: url, Session: session, Name: "Go", User: "go-user"})
	if err != nil {
		t.Fatal(err)
	}
	gc.Start(ctx)
	defer gc.Close()
	if err := gc.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}

	// 2 JS clients × 5 strokes + the Go client's 5.
	const total = 15
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := range 2 {
		wg.Go(func() {
			_, err := runJS(ctx, t, "--url", url, "--session", session, "--name", fmt.Sprintf("js%d", i),
				"--user", fmt.Sprintf("js-user-%d", i), "--strokes", "5", "--wait-strokes", fmt.Sprint(total), "--timeout", "30000")
			errs <- err
		})
	}
	for i := range 5 {
		s := crdt.Stroke{ID: fmt.Sprintf("go-%d", i), Tool: "pen", Color: "#ff0000", Width: 3, Points: []float64{1, 2, 3.5, 4}}
		if err := gc.AddStroke(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	final, err := runJS(ctx, t, "--url", url, "--session", session, "--name", "observer-js",
		"--user", "js-final", "--strokes", "0", "--wait-strokes", fmt.Sprint(total), "--settle", "1000", "--timeout", "30000")
	if err != nil {
		t.Fatal(err)
	}
	// The final client leaving makes the server write its roster entry
	// once more, so the Go replica moves past the printed heads: compare
	// the Go replica as of those heads.
	jsHeads, err := crdt.ParseHashes(final.Heads)
	if err != nil {
		t.Fatal(err)
	}
	var goState crdt.State
	err = gc.Wait(ctx, func(c *client.Client) bool {
		goState, err = c.StateAt(jsHeads)
		return err == nil
	})
	if err != nil {
		t.Fatalf("Go replica never reached the JS heads %v (has %v): %v", final.Heads, gc.Heads(), err)
	}
	if len(goState.Board) != total {
		t.Fatalf("board has %d strokes, want %d", len(goState.Board), total)
	}
	if !reflect.DeepEqual(goState, final.State) {
		g, _ := json.MarshalIndent(goState, "", " ")
		j, _ := json.MarshalIndent(final.State, "", " ")
		t.Fatalf("documents differ at the same heads\nGo: %s\nJS: %s", g, j)
	}
	// A JS stroke as Go reads it, and a Go stroke as JS read it.
	for id, s := range goState.Board {
		if s.Author == "" || s.Created == 0 || len(s.Points) < 4 {
			t.Errorf("stroke %s incomplete: %+v", id, s)
		}
	}
}
