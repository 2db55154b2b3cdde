package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/client"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
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
// heads and document. Every client joins with its own token, enrolled as
// a student.
func TestJavaScriptAndGoClientsConverge(t *testing.T) {
	env := gatewaytest.Start(t, gateway.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	url := env.URL
	const session = "interop"

	gc, err := client.New(client.Config{URL: url, Session: session, Name: "Go", User: "go-user",
		Token: env.Token(t, session, "go-user", catalog.RoleStudent)})
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
		token := env.Token(t, session, fmt.Sprintf("js-user-%d", i), catalog.RoleStudent)
		wg.Go(func() {
			_, err := runJS(ctx, t, "--url", url, "--session", session, "--token", token,
				"--strokes", "5", "--wait-strokes", fmt.Sprint(total), "--timeout", "30000")
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

	final, err := runJS(ctx, t, "--url", url, "--session", session, "--token", env.Token(t, session, "js-final", catalog.RoleStudent),
		"--strokes", "0", "--wait-strokes", fmt.Sprint(total), "--settle", "1000", "--timeout", "30000")
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

// TestJavaScriptClientRefusedJoin checks that the JavaScript client stops
// on the server's join refusals, naming the close code and the reason the
// server gave, instead of reconnecting.
func TestJavaScriptClientRefusedJoin(t *testing.T) {
	env := gatewaytest.Start(t, gateway.Config{})
	const session = "interop-refused"
	env.Session(t, session, catalog.Settings{})
	other, err := identity.NewHS256Minter([]byte("not-the-server-secret-0123456789-abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	forged, err := other.Mint(identity.Claims{UserID: "js-forged", Name: "Forged", Role: identity.RoleStudent, Session: session}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, token, want string
	}{
		{"bad signature", forged, "connection closed: 4005 bad_signature: join token signature is not valid"},
		{"not enrolled", env.Mint(t, identity.Claims{UserID: "js-stranger", Name: "Stranger", Role: identity.RoleStudent, Session: session}),
			"connection closed: 4003 forbidden: you are not enrolled in this course"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := runJS(ctx, t, "--url", env.URL, "--session", session, "--token", tt.token, "--timeout", "20000")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("interop.mjs: %v; want exit 1 with %q", err, tt.want)
			}
		})
	}
}
