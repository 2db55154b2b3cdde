package attendance

import (
	"math"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"defaults", Config{}.withDefaults(), true},
		{"district", Config{Grace: 5 * time.Minute, LateAfter: 10 * time.Minute, MinPresentShare: 0.5, MinActiveShare: 0.3}, true},
		{"away after two heartbeats", Config{AwayAfter: 2 * HeartbeatPeriod}, true},
		{"negative grace", Config{Grace: -time.Second}, false},
		{"negative late", Config{LateAfter: -time.Minute}, false},
		{"negative left early", Config{LeftEarlyBefore: -time.Minute}, false},
		{"away after one heartbeat", Config{AwayAfter: 20 * time.Second}, false},
		{"negative away", Config{AwayAfter: -time.Second}, false},
		{"share over 1", Config{MinPresentShare: 1.5}, false},
		{"negative share", Config{MinPresentShare: -0.1}, false},
		{"NaN share", Config{MinPresentShare: math.NaN()}, false},
		{"active share over 1", Config{MinActiveShare: 2}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	got := Config{}.withDefaults()
	want := Config{Grace: 2 * time.Minute, AwayAfter: 45 * time.Second, LateAfter: 5 * time.Minute,
		LeftEarlyBefore: 5 * time.Minute, MinPresentShare: 0.25}
	if got != want {
		t.Fatalf("defaults %+v, want %+v", got, want)
	}
	// What Validate refuses falls back to the documented method.
	bad := Config{Grace: -1, MinPresentShare: math.NaN(), MinActiveShare: 7}.withDefaults()
	if bad != want {
		t.Fatalf("invalid config became %+v, want the defaults %+v", bad, want)
	}
	// Set values are kept.
	set := Config{Grace: time.Minute, MinPresentShare: 0.5, MinActiveShare: 0.2}.withDefaults()
	if set.Grace != time.Minute || set.MinPresentShare != 0.5 || set.MinActiveShare != 0.2 {
		t.Fatalf("set values changed: %+v", set)
	}
}

func TestDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                               "0s",
		40 * time.Second:                "40s",
		12 * time.Minute:                "12m",
		5*time.Minute + time.Second:     "5m01s",
		65 * time.Minute:                "1h05m",
		65*time.Minute + 30*time.Second: "1h05m30s",
		1500 * time.Millisecond:         "1s",
	} {
		if got := dur(d); got != want {
			t.Errorf("dur(%v) = %q, want %q", d, got, want)
		}
	}
}
