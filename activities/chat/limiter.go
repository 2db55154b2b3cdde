package chat

import (
	"errors"
	"math"
	"time"
)

// LimiterConfig sets the chat rate limits by role. The zero value is
// usable.
type LimiterConfig struct {
	// StudentRate is how many messages per second a participant who is
	// not staff may send in the long run. Default 1.
	StudentRate float64
	// StudentBurst is how many such messages may be sent at once. Default
	// 5.
	StudentBurst int
	// StaffRate is the same for teachers and moderators. Default 5.
	StaffRate float64
	// StaffBurst is the same for teachers and moderators. Default 20.
	StaffBurst int
}

func (c LimiterConfig) withDefaults() LimiterConfig {
	if c.StudentRate == 0 {
		c.StudentRate = 1
	}
	if c.StudentBurst == 0 {
		c.StudentBurst = 5
	}
	if c.StaffRate == 0 {
		c.StaffRate = 5
	}
	if c.StaffBurst == 0 {
		c.StaffBurst = 20
	}
	return c
}

// Validate reports limits that cannot work.
func (c LimiterConfig) Validate() error {
	for _, r := range []float64{c.StudentRate, c.StaffRate} {
		if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			return errors.New("chat: rate limit must be a positive number")
		}
	}
	if c.StudentBurst < 0 || c.StaffBurst < 0 {
		return errors.New("chat: negative rate limit burst")
	}
	return nil
}

// Limiter is a token bucket per user: a user may send up to the burst at
// once and then at the rate of their role. A bucket left alone long
// enough to fill up is the same as no bucket, so buckets idle that long
// are pruned and the limiter holds only the users who sent recently.
//
// A Limiter is not safe for concurrent use: the session goroutine owns it.
type Limiter struct {
	cfg     LimiterConfig
	buckets map[string]bucket
	// fillTime is how long any empty bucket takes to fill; pruning runs
	// at most this often and drops buckets idle this long.
	fillTime time.Duration
	pruned   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
}

// NewLimiter returns a limiter with cfg's limits, zero fields taking their
// defaults; cfg must be valid (LimiterConfig.Validate).
func NewLimiter(cfg LimiterConfig) *Limiter {
	cfg = cfg.withDefaults()
	fill := max(float64(cfg.StudentBurst)/cfg.StudentRate, float64(cfg.StaffBurst)/cfg.StaffRate)
	return &Limiter{
		cfg:      cfg,
		buckets:  make(map[string]bucket),
		fillTime: time.Duration(fill * float64(time.Second)),
	}
}

// Allow reports whether user, staff or not, may send a message at now,
// and if so takes it from their bucket. A refused message costs nothing.
func (l *Limiter) Allow(user string, staff bool, now time.Time) bool {
	l.prune(now)
	rate, burst := l.cfg.StudentRate, float64(l.cfg.StudentBurst)
	if staff {
		rate, burst = l.cfg.StaffRate, float64(l.cfg.StaffBurst)
	}
	b, ok := l.buckets[user]
	if !ok {
		b = bucket{tokens: burst, at: now}
	} else if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens += elapsed.Seconds() * rate
		b.at = now
	}
	b.tokens = min(b.tokens, burst) // also when the role changed
	if b.tokens < 1 {
		l.buckets[user] = b
		return false
	}
	b.tokens--
	l.buckets[user] = b
	return true
}

// Len is the number of users the limiter holds a bucket for.
func (l *Limiter) Len() int { return len(l.buckets) }

// prune forgets buckets that have had time to fill, at most once per
// fillTime, so the work is constant per message on average.
func (l *Limiter) prune(now time.Time) {
	if now.Sub(l.pruned) < l.fillTime {
		return
	}
	for user, b := range l.buckets {
		if now.Sub(b.at) >= l.fillTime {
			delete(l.buckets, user)
		}
	}
	l.pruned = now
}
