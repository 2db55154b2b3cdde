package attendance

import (
	"errors"
	"fmt"
	"time"
)

// HeartbeatPeriod is how often a connected client sends its presence
// heartbeat (sync/client, docs/protocol.md). AwayAfter must allow for at
// least one lost heartbeat, so Validate wants it to be at least twice this.
const HeartbeatPeriod = 15 * time.Second

// Config holds the thresholds of the attendance method. The zero value is
// usable: a zero field takes its default. docs/attendance.md explains each
// rule; change a default there too.
type Config struct {
	// Grace merges reconnects: a gap shorter than Grace between one
	// connection of a participant and their next counts as connected (a
	// dropped Wi-Fi is not the student's absence). Default 2m.
	Grace time.Duration
	// AwayAfter is the longest silence of a client whose heartbeats are
	// recorded (EventHeartbeat) that still counts as active; a longer gap
	// between two signs of life counts as away. Clients heartbeat every
	// HeartbeatPeriod (15s), so the default tolerates two lost ones.
	// Default 45s.
	AwayAfter time.Duration
	// LateAfter: a student who first connects more than this after the
	// scheduled start is late. Default 5m.
	LateAfter time.Duration
	// LeftEarlyBefore: a student whose last connection ends more than this
	// before the scheduled end (or the actual end, when the session ended
	// early) left early. Default 5m.
	LeftEarlyBefore time.Duration
	// MinPresentShare is the share of the scheduled duration a student
	// must be connected for; below it they are absent even though they
	// joined. Between 0 and 1; it cannot be turned off (0 means the
	// default). Default 0.25.
	MinPresentShare float64
	// MinActiveShare, when set, marks absent a student who was active
	// (connected and not away) for less than this share of their connected
	// time. Between 0 and 1. Default 0: off, away time is reported in the
	// evidence but never decides the status (docs/attendance.md says why).
	MinActiveShare float64
}

// Defaults of Config.
const (
	DefaultGrace           = 2 * time.Minute
	DefaultAwayAfter       = 45 * time.Second
	DefaultLateAfter       = 5 * time.Minute
	DefaultLeftEarlyBefore = 5 * time.Minute
	DefaultMinPresentShare = 0.25
)

// withDefaults fills zero fields with their defaults. Compute also uses it
// to replace values Validate would refuse, so that a bad configuration
// degrades to the documented method instead of to nonsense.
func (c Config) withDefaults() Config {
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	if c.AwayAfter <= 0 {
		c.AwayAfter = DefaultAwayAfter
	}
	if c.LateAfter <= 0 {
		c.LateAfter = DefaultLateAfter
	}
	if c.LeftEarlyBefore <= 0 {
		c.LeftEarlyBefore = DefaultLeftEarlyBefore
	}
	if !(c.MinPresentShare > 0 && c.MinPresentShare <= 1) {
		c.MinPresentShare = DefaultMinPresentShare
	}
	if !(c.MinActiveShare >= 0 && c.MinActiveShare <= 1) {
		c.MinActiveShare = 0
	}
	return c
}

// Validate reports a configuration that cannot work. The zero Config is
// valid.
func (c Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"grace", c.Grace},
		{"away_after", c.AwayAfter},
		{"late_after", c.LateAfter},
		{"left_early_before", c.LeftEarlyBefore},
	} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("attendance: %s is negative (%v)", d.name, d.v))
		}
	}
	if c.AwayAfter > 0 && c.AwayAfter < 2*HeartbeatPeriod {
		errs = append(errs, fmt.Errorf("attendance: away_after %v would count one lost heartbeat as away: use at least %v", c.AwayAfter, 2*HeartbeatPeriod))
	}
	if !(c.MinPresentShare >= 0 && c.MinPresentShare <= 1) { // also refuses NaN
		errs = append(errs, fmt.Errorf("attendance: min_present_share %v is not between 0 and 1", c.MinPresentShare))
	}
	if !(c.MinActiveShare >= 0 && c.MinActiveShare <= 1) {
		errs = append(errs, fmt.Errorf("attendance: min_active_share %v is not between 0 and 1", c.MinActiveShare))
	}
	return errors.Join(errs...)
}
