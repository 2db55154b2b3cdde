package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/client"
)

// serveProcess starts `homeroom serve --demo` as a separate process on the
// data directory and returns its address and the printed tokens.
func serveProcess(t *testing.T, dataDir string) (*exec.Cmd, string, map[string]string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "HOMEROOM_TEST_RUN=serve --addr 127.0.0.1:0 --data-dir "+dataDir+
		" --demo --log-level warn --save-interval 100ms")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, tokens := scanServeOutput(out)
	go io.Copy(io.Discard, out)
	if addr == "" {
		t.Fatal("serve printed no address")
	}
	return cmd, addr, tokens
}

// TestSIGKILLLosesAtMostASecond: a node killed with SIGKILL mid-session
// restarts on the same store with every acknowledged board edit older than
// the save interval.
func TestSIGKILLLosesAtMostASecond(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	proc, addr, tokens := serveProcess(t, dir)

	c, err := client.New(client.Config{URL: "ws://" + addr + "/ws", Session: demoSession, Token: tokens[demoTeacher]})
	if err != nil {
		t.Fatal(err)
	}
	c.Start(ctx)
	defer c.Close()
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	const strokes = 10
	for i := range strokes {
		s := crdt.Stroke{ID: fmt.Sprintf("k%d", i), Tool: "pen", Color: "#000000", Width: 2, Points: []float64{1, 2}}
		if err := c.AddStroke(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitSynced(ctx); err != nil { // every stroke acknowledged
		t.Fatal(err)
	}
	// Older than a second, with a 100 ms save interval: they must be stored.
	time.Sleep(time.Second)
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()

	_, addr, _ = serveProcess(t, dir)
	fresh, err := client.New(client.Config{URL: "ws://" + addr + "/ws", Session: demoSession, Token: tokens["demo-student-1"]})
	if err != nil {
		t.Fatal(err)
	}
	fresh.Start(ctx)
	defer fresh.Close()
	if err := fresh.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := fresh.State()
	if err != nil {
		t.Fatal(err)
	}
	for i := range strokes {
		if _, ok := st.Board[fmt.Sprintf("k%d", i)]; !ok {
			t.Errorf("stroke k%d was acknowledged a second before SIGKILL and is gone", i)
		}
	}
}
