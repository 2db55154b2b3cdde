package gameday

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
)

// startServer runs an in-process node on a random port, with a memory
// catalog, the test token secret and the test admin key.
func startServer(t *testing.T) *gatewaytest.Env {
	t.Helper()
	return gatewaytest.Start(t, gateway.Config{})
}

// adminConfig is a run against env that sets itself up through the admin
// API, with the right secret.
func adminConfig(env *gatewaytest.Env) Config {
	return Config{
		URL:      env.URL,
		Secret:   gatewaytest.Secret,
		AdminKey: gatewaytest.AdminKey,
		AdminURL: env.HTTP,
	}
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
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var progress syncBuffer
	cfg := adminConfig(env)
	cfg.Students = 20
	cfg.DrawRate = 20
	cfg.Duration = 2 * time.Second
	cfg.PreloadStrokes = 50
	cfg.Replicas = 3
	cfg.Settle = 200 * time.Millisecond
	rep, err := Run(ctx, cfg, &progress)
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

	// What the admin set-up left in the catalog.
	s, err := env.Catalog.GetSession(ctx, rep.Session)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != catalog.StateLive || s.CourseID != rep.Session+".course" {
		t.Errorf("session %+v: want live, in course %s.course", s, rep.Session)
	}
	for user, role := range map[string]catalog.Role{
		"gameday-teacher": catalog.RoleTeacher, "gameday-verifier": catalog.RoleObserver,
		"gameday-s0001": catalog.RoleStudent, "gameday-s0020": catalog.RoleStudent,
	} {
		if e, err := env.Catalog.GetEnrollment(ctx, s.CourseID, user); err != nil || e.Role != role {
			t.Errorf("enrollment of %s: %+v, %v; want %s", user, e, err, role)
		}
	}
}

// TestLectureWrongSecret runs against a node whose token secret is not
// the one the tool signs with: every join is refused with 4005.
func TestLectureWrongSecret(t *testing.T) {
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := adminConfig(env)
	cfg.Secret = []byte("not-the-node-secret-0123456789-abcdef")
	cfg.Students = 5
	cfg.Duration = 500 * time.Millisecond
	cfg.Settle = 10 * time.Millisecond
	rep, err := Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Connected != 0 || rep.ConnectSuccessRate != 0 {
		t.Errorf("connected %d rate %v, want 0", rep.Connected, rep.ConnectSuccessRate)
	}
	if rep.Closes["4005"] != 5 || len(rep.Closes) != 1 {
		t.Errorf("closes %v, want 4005×5", rep.Closes)
	}
	if rep.Errors["unauthorized"] < 5 {
		t.Errorf("errors %v, want an unauthorized error frame before each close", rep.Errors)
	}
	if len(rep.DialErrors) != 0 {
		t.Errorf("dial errors %v: the handshakes succeed, the joins are refused", rep.DialErrors)
	}
	if rep.ChangesSent != 0 {
		t.Errorf("changes sent %d by a teacher that could not join", rep.ChangesSent)
	}
	if !strings.Contains(strings.Join(rep.Problems, "\n"), "teacher") {
		t.Errorf("problems %q: want the teacher's refused join", rep.Problems)
	}
	if rep.Check() == nil {
		t.Error("Check passed a run where nobody connected")
	}
}

// TestLecturePreparedSession runs without an admin key against a session
// and enrollments made beforehand, as on a node without the admin API.
func TestLecturePreparedSession(t *testing.T) {
	env := startServer(t)
	const session = "gameday-prepared"
	env.Session(t, session, catalog.Settings{})
	env.Enroll(t, "gameday-teacher", catalog.RoleTeacher)
	env.Enroll(t, "gameday-verifier", catalog.RoleObserver)
	for i := range 3 {
		env.Enroll(t, studentUser(i).id, catalog.RoleStudent)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := Run(ctx, Config{
		URL: env.URL, Secret: gatewaytest.Secret, Session: session,
		Students: 3, Replicas: 1, DrawRate: 10, Duration: 500 * time.Millisecond, Settle: 10 * time.Millisecond,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Check(); err != nil {
		t.Errorf("Check: %v (report %+v)", err, rep)
	}
}

// TestLectureNotEnrolled runs without an admin key against a session
// nobody is enrolled in: the node refuses every join with 4003.
func TestLectureNotEnrolled(t *testing.T) {
	env := startServer(t)
	const session = "gameday-empty"
	env.Session(t, session, catalog.Settings{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := Run(ctx, Config{
		URL: env.URL, Secret: gatewaytest.Secret, Session: session,
		Students: 3, Duration: 200 * time.Millisecond, Settle: 10 * time.Millisecond,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Connected != 0 || rep.Closes["4003"] != 3 || rep.Errors["forbidden"] < 3 {
		t.Errorf("connected %d closes %v errors %v; want 0, 4003×3, forbidden", rep.Connected, rep.Closes, rep.Errors)
	}
}

func TestLectureBadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	rep, err := Run(ctx, Config{
		URL:         "ws://127.0.0.1:1", // nothing listens on port 1
		Secret:      gatewaytest.Secret,
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
	secret := gatewaytest.Secret
	for _, cfg := range []Config{
		{},
		{Secret: []byte("too-short")},
		{Secret: secret, Scenario: "chess"},
		{Secret: secret, URL: "http://127.0.0.1:8080"},
		{Secret: secret, Students: -1},
		{Secret: secret, DrawRate: -3},
		{Secret: secret, Duration: -time.Second},
		{Secret: secret, MetricsURL: "ftp://x"},
		{Secret: secret, AdminURL: "ws://127.0.0.1:8080"},
		{Secret: secret, AdminKey: "has a space in it"},
	} {
		if _, err := Run(context.Background(), cfg, nil); err == nil {
			t.Errorf("Run(%+v) succeeded; want a config error", cfg)
		}
	}
}

// TestLectureLimitsHold: under load, the node's connection cap refuses the
// students past it with 503 and the rest still get every change; a
// teacher whose message rate is capped below its draw rate stays within
// the rate the server announced (batching changes into fewer frames), so
// nothing is dropped.
func TestLectureLimitsHold(t *testing.T) {
	env := gatewaytest.Start(t, gateway.Config{MaxConnections: 11, StaffRatePerSecond: 5, StaffBurst: 5})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := adminConfig(env)
	cfg.Students = 15
	cfg.Replicas = 0
	cfg.DrawRate = 40
	cfg.Duration = time.Second
	cfg.Settle = 10 * time.Millisecond
	cfg.QuietTimeout = time.Second
	rep, err := Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The teacher holds one of the 11 connections.
	if rep.Connected != 10 || rep.DialErrors["http_503"] != 5 {
		t.Errorf("connected %d, dial errors %v: want 10 students in and 5 refused with 503", rep.Connected, rep.DialErrors)
	}
	if rep.ChangesSent != 40 || rep.DeliveredRatio != 1 || len(rep.Errors) != 0 {
		t.Errorf("sent %d, delivered %v, errors %v: want all 40 delivered, none refused", rep.ChangesSent, rep.DeliveredRatio, rep.Errors)
	}
	metrics := scrape(t, env.HTTP+"/metrics")
	if frames := metrics[`homeroom_frames_in_total{type="changes"}`]; frames == 0 || frames > 5+5*3 {
		t.Errorf("teacher sent %v changes frames, want within 5/s plus a burst of 5", frames)
	}
	if limited := metrics["homeroom_rate_limited_total"]; limited != 0 {
		t.Errorf("rate_limited_total = %v", limited)
	}
}

// scrape reads the samples of a Prometheus text endpoint.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] = v
		}
	}
	return out
}
