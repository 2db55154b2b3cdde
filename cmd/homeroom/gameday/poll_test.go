package gameday

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
)

// pollConfig is a poll run of n students against env, set up through the
// admin API.
func pollConfig(env *gatewaytest.Env, n int) Config {
	cfg := adminConfig(env)
	cfg.Scenario = "poll"
	cfg.Students = n
	cfg.PollWindow = 500 * time.Millisecond
	cfg.Settle = 10 * time.Millisecond
	return cfg
}

func TestPoll(t *testing.T) {
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var progress syncBuffer
	rep, err := Run(ctx, pollConfig(env, 20), &progress)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.PollFigures
	if rep.Scenario != "poll" || f == nil || rep.ChatFigures != nil {
		t.Fatalf("scenario %q, poll figures %v, chat figures %v", rep.Scenario, f, rep.ChatFigures)
	}
	t.Logf("report: %+v %+v", rep, *f)
	if rep.Connected != 20 {
		t.Errorf("connected %d, want 20", rep.Connected)
	}
	if !strings.HasPrefix(f.Poll, "p-") || f.PollWindowSeconds != 0.5 {
		t.Errorf("poll %q window %v", f.Poll, f.PollWindowSeconds)
	}
	if f.AnswersSent != 20 || f.AnswersAcked != 20 || f.AnswersStored == nil || *f.AnswersStored != 20 {
		t.Errorf("answers sent %d, acked %d, stored %v; want 20 each", f.AnswersSent, f.AnswersAcked, f.AnswersStored)
	}
	if f.ResultsTotal == nil || *f.ResultsTotal != 20 {
		t.Errorf("results total %v, want 20", f.ResultsTotal)
	}
	if f.AnswersRefused != 0 || f.AnswerRetries != 0 {
		t.Errorf("refused %d, retries %d", f.AnswersRefused, f.AnswerRetries)
	}
	for name, l := range map[string]Latency{"started": f.StartedLatencyMS, "ack": f.AckLatencyMS, "results": f.ResultsLatencyMS} {
		if l.Samples != 20 || !(l.P50 > 0 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
			t.Errorf("%s latency %+v: want 20 samples, 0 < p50 ≤ p95 ≤ p99 ≤ max", name, l)
		}
	}
	if f.LastAckSeconds <= 0 || f.LastAckSeconds > 10 {
		t.Errorf("last ack %vs after open", f.LastAckSeconds)
	}
	if len(rep.Closes) != 0 || len(rep.Errors) != 0 || len(rep.Problems) != 0 {
		t.Errorf("closes %v errors %v problems %q; want none", rep.Closes, rep.Errors, rep.Problems)
	}
	if err := rep.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if p := progress.String(); !strings.Contains(p, "gameday poll") || !strings.Contains(p, "answers sent") {
		t.Errorf("no poll progress lines: %q", p)
	}

	// The JSON report carries the poll's fields at its top level.
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"started_latency_ms", "ack_latency_ms", "results_latency_ms", "answers_sent", "answers_acked", "answers_stored"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON report has no %q: %s", k, b)
		}
	}
	if _, ok := m["messages_sent"]; ok {
		t.Errorf("a poll report carries chat fields: %s", b)
	}
}

// TestPollRetries answers with an acknowledgement timeout far below the
// time the server takes to commit, so most answers are sent again with
// the same attempt_id: each student's answer must still be stored once
// and acknowledged.
func TestPollRetries(t *testing.T) {
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cfg := pollConfig(env, 20)
	cfg.AnswerTimeout = 50 * time.Microsecond
	rep, err := Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.PollFigures
	t.Logf("poll figures: %+v", *f)
	if f.AnswerRetries == 0 {
		t.Errorf("no retries with an ack timeout of %s", cfg.AnswerTimeout)
	}
	if f.AnswersSent != 20 || f.AnswersAcked != 20 || f.AnswersStored == nil || *f.AnswersStored != 20 {
		t.Errorf("answers sent %d, acked %d, stored %v; want 20 each", f.AnswersSent, f.AnswersAcked, f.AnswersStored)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors %v: a retry with the same attempt_id is acknowledged again, not refused", rep.Errors)
	}
}

// TestPollWithoutAdminKey: the stored answers are counted only through
// the admin API, so without a key they are unknown and Check says so.
func TestPollWithoutAdminKey(t *testing.T) {
	env := startServer(t)
	const session = "gameday-poll-prepared"
	env.Session(t, session, catalog.Settings{})
	env.Enroll(t, "gameday-teacher", catalog.RoleTeacher)
	for i := range 3 {
		env.Enroll(t, studentUser(i).id, catalog.RoleStudent)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := Run(ctx, Config{
		URL: env.URL, Secret: gatewaytest.Secret, Session: session, Scenario: "poll",
		Students: 3, PollWindow: 100 * time.Millisecond, Settle: 10 * time.Millisecond,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.PollFigures
	if f.AnswersAcked != 3 || f.AnswersStored != nil {
		t.Errorf("acked %d, stored %v; want 3 and unknown", f.AnswersAcked, f.AnswersStored)
	}
	if !strings.Contains(strings.Join(rep.Problems, "\n"), "--admin-key") {
		t.Errorf("problems %q: want the unknown stored count explained", rep.Problems)
	}
	if err := rep.Check(); err == nil || !strings.Contains(err.Error(), "stored") {
		t.Errorf("Check: %v, want the unknown stored count", err)
	}
	b, _ := json.Marshal(rep)
	if !strings.Contains(string(b), `"answers_stored":null`) {
		t.Errorf("JSON %s: want answers_stored null", b)
	}
}
