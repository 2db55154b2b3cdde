package gameday

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestChat(t *testing.T) {
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var progress syncBuffer
	cfg := adminConfig(env)
	cfg.Scenario = "chat"
	cfg.Students = 20
	cfg.ChatRate = 10
	cfg.Duration = 2 * time.Second
	cfg.Settle = 100 * time.Millisecond
	rep, err := Run(ctx, cfg, &progress)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %+v %+v", rep, rep.ChatFigures)
	if rep.Scenario != "chat" || rep.ChatFigures == nil || rep.PollFigures != nil {
		t.Fatalf("scenario %q, chat figures %v, poll figures %v", rep.Scenario, rep.ChatFigures, rep.PollFigures)
	}
	if rep.Connected != 20 {
		t.Errorf("connected %d, want 20", rep.Connected)
	}
	f := rep.ChatFigures
	if f.MessagesSent != 20 || f.MessagesRefused != 0 || f.ChatRate != 10 {
		t.Errorf("sent %d refused %d rate %g; want 20 sent at 10/s, none refused", f.MessagesSent, f.MessagesRefused, f.ChatRate)
	}
	if f.MessagesDelivered != 20*20 || rep.DeliveredRatio != 1 || f.Gaps != 0 || f.ReceiversWithGaps != 0 {
		t.Errorf("delivered %d (ratio %v), gaps %d in %d receivers; want every message to every student",
			f.MessagesDelivered, rep.DeliveredRatio, f.Gaps, f.ReceiversWithGaps)
	}
	if f.Duplicates != 0 || f.OutOfOrder != 0 {
		t.Errorf("duplicates %d, out of order %d", f.Duplicates, f.OutOfOrder)
	}
	l := rep.LatencyMS
	if l.Samples != 20*20 || !(l.P50 > 0 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency %+v: want 400 samples, 0 < p50 ≤ p95 ≤ p99 ≤ max", l)
	}
	if rep.Replicas != 0 || rep.ChangesSent != 0 {
		t.Errorf("replicas %d, changes sent %d in a chat run", rep.Replicas, rep.ChangesSent)
	}
	if len(rep.Closes) != 0 || len(rep.Errors) != 0 || len(rep.DialErrors) != 0 || len(rep.Problems) != 0 {
		t.Errorf("closes %v errors %v dial errors %v problems %q; want none", rep.Closes, rep.Errors, rep.DialErrors, rep.Problems)
	}
	if err := rep.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if p := progress.String(); !strings.Contains(p, "gameday chat") || !strings.Contains(p, "messages sent") {
		t.Errorf("no chat progress lines: %q", p)
	}
}

// TestChatSpreadsSenders: at a rate equal to the number of students,
// every student must send about once a second, and none is refused by
// the server's per-student limit.
func TestChatSpreadsSenders(t *testing.T) {
	env := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cfg := adminConfig(env)
	cfg.Scenario = "chat"
	cfg.Students = 4
	cfg.ChatRate = 4
	cfg.Duration = 2 * time.Second
	cfg.Settle = 10 * time.Millisecond
	rep, err := Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.ChatFigures; f.MessagesSent != 8 || f.MessagesRefused != 0 || rep.Errors["rate_limited"] != 0 || f.Gaps != 0 {
		t.Errorf("sent %d, refused %d, errors %v, gaps %d; want 8 sent, none refused or missed",
			f.MessagesSent, f.MessagesRefused, rep.Errors, f.Gaps)
	}
}

func TestChatRateAboveStudents(t *testing.T) {
	err := Config{Secret: []byte("0123456789abcdef0123456789abcdef"), Scenario: "chat", Students: 10, ChatRate: 20}.Validate()
	if err == nil || !strings.Contains(err.Error(), "chat rate") {
		t.Errorf("Validate: %v, want a chat rate error", err)
	}
}

func TestChatIDs(t *testing.T) {
	c := newChatRun(100)
	for i, ok := range map[string]bool{
		c.prefix + "0": true, c.prefix + "99": true, c.prefix + "100": false, c.prefix: false,
		c.prefix + "x": false, "gd-00000000-1": false, c.prefix + "1234567890123": false,
	} {
		if _, got := c.index([]byte(i)); got != ok {
			t.Errorf("index(%q) ok = %v, want %v", i, got, ok)
		}
	}
	if n, ok := c.index([]byte(c.prefix + "42")); !ok || n != 42 {
		t.Errorf("index of message 42 = %d, %v", n, ok)
	}
	if !c.ours(c.prefix+"7") || c.ours("c-8f2") {
		t.Error("ours")
	}
}

func TestJSONFields(t *testing.T) {
	p := []byte(`{"type":"chat_message","session":"s","seq":42,"id":"gd-1-7","user":"u","text":"say \"seq\":1 \"id\":\"x\"","at":"t"}`)
	if seq, ok := jsonInt(p, "seq"); !ok || seq != 42 {
		t.Errorf("seq = %d, %v", seq, ok)
	}
	if id, ok := jsonString(p, "id"); !ok || string(id) != "gd-1-7" {
		t.Errorf("id = %q, %v", id, ok)
	}
	q := []byte(`{"type":"chat_message","text":"say \"seq\":1 \"id\":\"x\""}`)
	if _, ok := jsonInt(q, "seq"); ok {
		t.Error("found seq inside a string value")
	}
	if _, ok := jsonString(q, "id"); ok {
		t.Error("found id inside a string value")
	}
	if _, ok := jsonString([]byte(`{"id":7}`), "id"); ok {
		t.Error("a number is not a string")
	}
}
