package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log sink safe for the job's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRetentionJobStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir)
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	st, closeStore, err := openStore(context.Background(), "", dir, false, log)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	stop, err := startRetention(context.Background(), &retentionFlags{days: 30, interval: time.Hour}, st, log)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "retention sweep finished") {
		if time.Now().After(deadline) {
			t.Fatalf("no sweep at start:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop() // returns once the job has stopped
	if !strings.Contains(logs.String(), "component=retention") || !strings.Contains(logs.String(), "default_days=30") {
		t.Errorf("logs:\n%s", logs.String())
	}

	stop, err = startRetention(context.Background(), &retentionFlags{days: 30}, st, log)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if !strings.Contains(logs.String(), "retention job off") {
		t.Errorf("interval 0 does not turn the job off:\n%s", logs.String())
	}
	if _, err := startRetention(context.Background(), &retentionFlags{interval: -time.Second}, st, log); err == nil {
		t.Error("a negative interval was accepted")
	}
}
