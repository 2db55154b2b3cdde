package gameday

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func cleanReport() Report {
	return Report{
		Scenario: "lecture", Session: "s", Students: 10, Connected: 10, ConnectSuccessRate: 1,
		ChangesSent: 5, DeliveredRatio: 1, Replicas: 2, ReplicasConverged: 2, TeacherConverged: true,
		Closes: map[string]int{}, Errors: map[string]int{}, DialErrors: map[string]int{},
	}
}

func TestReportCheck(t *testing.T) {
	if err := cleanReport().Check(); err != nil {
		t.Errorf("clean report: %v", err)
	}
	for name, spoil := range map[string]func(*Report){
		"join":    func(r *Report) { r.Connected, r.ConnectSuccessRate = 9, 0.9 },
		"deliver": func(r *Report) { r.DeliveredRatio = 0.99 },
		"replica": func(r *Report) { r.ReplicasConverged = 1 },
		"teacher": func(r *Report) { r.TeacherConverged = false },
	} {
		r := cleanReport()
		spoil(&r)
		if r.Check() == nil {
			t.Errorf("%s: Check passed", name)
		}
	}
}

func TestReportJSONFields(t *testing.T) {
	b, err := json.Marshal(cleanReport())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "session", "students", "connected", "connect_success_rate",
		"join_seconds", "changes_sent", "delivered_ratio", "latency_ms", "replicas", "replicas_converged",
		"server_peak_rss_bytes", "server_rss_idle_per_student_bytes", "closes", "errors", "duration_seconds"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	lat := m["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p95", "p99", "max"} {
		if _, ok := lat[k]; !ok {
			t.Errorf("latency_ms has no %q", k)
		}
	}
}

func TestReportText(t *testing.T) {
	r := cleanReport()
	r.Closes["4008"] = 3
	r.Problems = []string{"something odd"}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"10/10 joined", "4008×3", "something odd", "teacher true"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestReportChatAndPoll(t *testing.T) {
	chat := cleanReport()
	chat.Scenario, chat.Replicas, chat.ReplicasConverged, chat.TeacherConverged = "chat", 0, 0, false
	chat.ChatFigures = &ChatFigures{ChatRate: 20, MessagesSent: 5, MessagesDelivered: 50}
	stored := int64(10)
	poll := cleanReport()
	poll.Scenario, poll.DeliveredRatio, poll.TeacherConverged = "poll", 0, false
	poll.PollFigures = &PollFigures{Poll: "p-1", AnswersSent: 10, AnswersAcked: 10, AnswersStored: &stored,
		StartedLatencyMS: Latency{Samples: 10}, AckLatencyMS: Latency{Samples: 10}, ResultsLatencyMS: Latency{Samples: 10}}
	for _, r := range []Report{chat, poll} {
		if err := r.Check(); err != nil {
			t.Errorf("clean %s report: %v", r.Scenario, err)
		}
	}
	for name, spoil := range map[string]func(*Report){
		"chat gap":       func(r *Report) { r.ChatFigures.Gaps, r.DeliveredRatio = 1, 0.98 },
		"chat duplicate": func(r *Report) { r.ChatFigures.Duplicates = 1 },
		"chat order":     func(r *Report) { r.ChatFigures.OutOfOrder = 1 },
		"chat refused":   func(r *Report) { r.ChatFigures.MessagesRefused = 1 },
	} {
		r := chat
		f := *chat.ChatFigures
		r.ChatFigures = &f
		spoil(&r)
		if r.Check() == nil {
			t.Errorf("%s: Check passed", name)
		}
	}
	eleven := int64(11)
	for name, spoil := range map[string]func(*Report){
		"poll unacked":   func(r *Report) { r.PollFigures.AnswersAcked = 9 },
		"poll unsent":    func(r *Report) { r.PollFigures.AnswersSent, r.PollFigures.AnswersAcked = 9, 9 },
		"poll stored":    func(r *Report) { r.PollFigures.AnswersStored = &eleven },
		"poll unknown":   func(r *Report) { r.PollFigures.AnswersStored = nil },
		"poll results":   func(r *Report) { r.PollFigures.ResultsLatencyMS.Samples = 9 },
		"poll no starts": func(r *Report) { r.PollFigures.StartedLatencyMS.Samples = 9 },
	} {
		r := poll
		f := *poll.PollFigures
		r.PollFigures = &f
		spoil(&r)
		if r.Check() == nil {
			t.Errorf("%s: Check passed", name)
		}
	}

	var b bytes.Buffer
	if err := chat.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if text := b.String(); !strings.Contains(text, "5 messages sent at 20/s") || strings.Contains(text, "converged") {
		t.Errorf("chat text report:\n%s", text)
	}
	b.Reset()
	if err := poll.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if text := b.String(); !strings.Contains(text, "10 acknowledged") || !strings.Contains(text, "10 stored") || !strings.Contains(text, "results") {
		t.Errorf("poll text report:\n%s", text)
	}

	// The lecture's report has neither scenario's fields.
	data, _ := json.Marshal(cleanReport())
	for _, k := range []string{"messages_sent", "answers_stored", "ack_latency_ms"} {
		if strings.Contains(string(data), k) {
			t.Errorf("lecture JSON has %q: %s", k, data)
		}
	}
}
