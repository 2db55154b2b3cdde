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
