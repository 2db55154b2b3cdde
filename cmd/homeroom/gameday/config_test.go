package gameday

import (
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.URL != DefaultURL || c.Scenario != "lecture" || c.Students != 100 || c.Replicas != 10 ||
		c.DrawRate != 30 || c.Duration != 10*time.Second || c.DialConcurrency != 256 {
		t.Errorf("defaults: %+v", c)
	}
	if !strings.HasPrefix(c.Session, "gameday-") || len(c.Session) != len("gameday-")+8 {
		t.Errorf("session %q", c.Session)
	}
	if c.MetricsURL != "http://127.0.0.1:8080/metrics" {
		t.Errorf("metrics url %q", c.MetricsURL)
	}
	if c.AdminURL != "http://127.0.0.1:8080" {
		t.Errorf("admin url %q", c.AdminURL)
	}
	if c.tokenTTL() != 10*time.Second+10*time.Minute {
		t.Errorf("token ttl %v, want the duration + 10m", c.tokenTTL())
	}
	if a, b := (Config{}).withDefaults().Session, (Config{}).withDefaults().Session; a == b {
		t.Errorf("two runs share session %q", a)
	}
	if err := (Config{Secret: []byte("0123456789abcdef0123456789abcdef")}).Validate(); err != nil {
		t.Errorf("zero config with a secret: %v", err)
	}
	if err := (Config{}).Validate(); err == nil || !strings.Contains(err.Error(), "secret is required") {
		t.Errorf("config without a secret: %v, want secret is required", err)
	}
}

func TestConfigReplicas(t *testing.T) {
	for _, tt := range []struct{ students, replicas, want int }{
		{100, 0, 10}, {100, -1, 0}, {5, 0, 5}, {5, 3, 3}, {20, 30, 20},
	} {
		if got := (Config{Students: tt.students, Replicas: tt.replicas}).withDefaults().Replicas; got != tt.want {
			t.Errorf("students %d replicas %d → %d, want %d", tt.students, tt.replicas, got, tt.want)
		}
	}
}

func TestWSURL(t *testing.T) {
	for in, want := range map[string]string{
		"ws://127.0.0.1:8080":       "ws://127.0.0.1:8080/ws",
		"ws://127.0.0.1:8080/":      "ws://127.0.0.1:8080/ws",
		"wss://example.com/live/ws": "wss://example.com/live/ws",
		"ws://h:1/x?token=a":        "ws://h:1/x?token=a",
	} {
		if got, err := wsURL(in); err != nil || got != want {
			t.Errorf("wsURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://h:1", "127.0.0.1:8080", "ws://", "::"} {
		if _, err := wsURL(bad); err == nil {
			t.Errorf("wsURL(%q) accepted", bad)
		}
	}
	for in, want := range map[string]string{
		"ws://127.0.0.1:8080/ws": "http://127.0.0.1:8080/metrics",
		"wss://example.com":      "https://example.com/metrics",
	} {
		if got, err := metricsURL(in); err != nil || got != want {
			t.Errorf("metricsURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"ws://127.0.0.1:8080/ws":     "http://127.0.0.1:8080",
		"wss://example.com/live/ws":  "https://example.com",
		"wss://example.com:8443/?x=": "https://example.com:8443",
	} {
		if got, err := baseURL(in); err != nil || got != want {
			t.Errorf("baseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestScenarios(t *testing.T) {
	if got := strings.Join(Scenarios(), ","); got != "chat,lecture,poll" {
		t.Errorf("Scenarios() = %v", got)
	}
	err := Config{Scenario: "quiz"}.Validate()
	if err == nil || !strings.Contains(err.Error(), "chat, lecture, poll") {
		t.Errorf("unknown scenario error %v should list the known ones", err)
	}
}

func TestConfigActivityDefaults(t *testing.T) {
	c := Config{Scenario: "poll"}.withDefaults()
	if c.ChatRate != 20 || c.PollWindow != 2*time.Second || c.AnswerTimeout != 2*time.Second || c.Replicas != 0 {
		t.Errorf("poll defaults: chat rate %g, window %s, answer timeout %s, replicas %d", c.ChatRate, c.PollWindow, c.AnswerTimeout, c.Replicas)
	}
	secret := []byte("0123456789abcdef0123456789abcdef")
	for _, bad := range []Config{
		{Secret: secret, ChatRate: -1},
		{Secret: secret, PollWindow: -time.Second},
		{Secret: secret, AnswerTimeout: -time.Second},
		{Secret: secret, Scenario: "chat", Students: 5}, // 20 messages/s from 5 students
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) passed", bad)
		}
	}
	if err := (Config{Secret: secret, Scenario: "chat", Students: 20}).Validate(); err != nil {
		t.Errorf("20 students at 20 messages/s: %v", err)
	}
}
