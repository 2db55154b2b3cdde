package gameday

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/gateway"
)

// startServer runs an in-process node on a random port and returns its
// WebSocket URL (without /ws, which the tool appends).
func startServer(t *testing.T) string {
	t.Helper()
	srv, err := gateway.NewServer(gateway.Config{Addr: "127.0.0.1:0"}, store.NewMemory(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
	return "ws://" + srv.Addr()
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLecture(t *testing.T) {
	url := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var progress syncBuffer
	rep, err := Run(ctx, Config{
		URL:            url,
		Students:       20,
		DrawRate:       20,
		Duration:       2 * time.Second,
		PreloadStrokes: 50,
		Replicas:       3,
		Settle:         200 * time.Millisecond,
	}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %+v", rep)
	if rep.Scenario != "lecture" || !strings.HasPrefix(rep.Session, "gameday-") {
		t.Errorf("scenario %q session %q", rep.Scenario, rep.Session)
	}
	if rep.Connected != 20 || rep.ConnectSuccessRate != 1 {
		t.Errorf("connected %d, rate %v; want 20, 1", rep.Connected, rep.ConnectSuccessRate)
	}
	if rep.PreloadStrokes != 50 {
		t.Errorf("preload strokes %d, want 50", rep.PreloadStrokes)
	}
	if rep.ChangesSent != 40 {
		t.Errorf("changes sent %d, want 40", rep.ChangesSent)
	}
	if rep.DeliveredRatio != 1 {
		t.Errorf("delivered ratio %v, want 1", rep.DeliveredRatio)
	}
	if rep.Replicas != 3 || rep.ReplicasConverged != rep.Replicas || !rep.TeacherConverged {
		t.Errorf("replicas %d converged %d teacher %v; want 3, 3, true", rep.Replicas, rep.ReplicasConverged, rep.TeacherConverged)
	}
	l := rep.LatencyMS
	if l.Samples != 40*20 {
		t.Errorf("latency samples %d, want %d", l.Samples, 40*20)
	}
	if !(l.P50 > 0 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency %+v: want 0 < p50 ≤ p95 ≤ p99 ≤ max", l)
	}
	if rep.OtherChanges < 20*50 {
		t.Errorf("other changes %d: want at least the preloaded board for every student", rep.OtherChanges)
	}
	if rep.FramesReceived["synced"] != 20 || rep.FramesReceived["welcome"] != 20 || rep.BytesReceived <= 0 {
		t.Errorf("frames received %v, bytes %d: want one welcome and synced per student", rep.FramesReceived, rep.BytesReceived)
	}
	if len(rep.Closes) != 0 || len(rep.Errors) != 0 || len(rep.DialErrors) != 0 {
		t.Errorf("closes %v errors %v dial errors %v; want none", rep.Closes, rep.Errors, rep.DialErrors)
	}
	if rep.JoinSeconds <= 0 {
		t.Errorf("join seconds %v", rep.JoinSeconds)
	}
	if rep.ServerPeakRSSBytes <= 0 {
		t.Errorf("server peak RSS %d: the in-process metrics endpoint should give one", rep.ServerPeakRSSBytes)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("problems: %q", rep.Problems)
	}
	if err := rep.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if p := progress.String(); !strings.Contains(p, "gameday lecture") {
		t.Errorf("no progress lines: %q", p)
	}
}

func TestLectureBadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	rep, err := Run(ctx, Config{
		URL:         "ws://127.0.0.1:1", // nothing listens on port 1
		Students:    5,
		Duration:    time.Second,
		DialTimeout: 2 * time.Second,
		Settle:      10 * time.Millisecond,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("run hung for %s", time.Since(start))
	}
	if rep.Connected != 0 || rep.ConnectSuccessRate != 0 {
		t.Errorf("connected %d rate %v, want 0", rep.Connected, rep.ConnectSuccessRate)
	}
	if n := rep.DialErrors["refused"]; n != 5 {
		t.Errorf("dial errors %v, want refused×5", rep.DialErrors)
	}
	if rep.ChangesSent != 0 || rep.DeliveredRatio != 0 {
		t.Errorf("changes sent %d delivered %v with no teacher", rep.ChangesSent, rep.DeliveredRatio)
	}
	if len(rep.Problems) == 0 {
		t.Error("no problem reported for a teacher that could not connect")
	}
	if rep.Check() == nil {
		t.Error("Check passed a run where nobody connected")
	}
}

func TestRunInvalidConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Scenario: "chess"},
		{URL: "http://127.0.0.1:8080"},
		{Students: -1},
		{DrawRate: -3},
		{Duration: -time.Second},
		{MetricsURL: "ftp://x"},
	} {
		if _, err := Run(context.Background(), cfg, nil); err == nil {
			t.Errorf("Run(%+v) succeeded; want a config error", cfg)
		}
	}
}
