package chat

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// allowed counts how many of n messages at now are allowed.
func allowed(l *Limiter, user string, staff bool, now time.Time, n int) int {
	ok := 0
	for range n {
		if l.Allow(user, staff, now) {
			ok++
		}
	}
	return ok
}

func TestLimiterStudent(t *testing.T) {
	l := NewLimiter(LimiterConfig{})
	if n := allowed(l, "u-1", false, t0, 10); n != 5 {
		t.Fatalf("burst: %d allowed, want 5", n)
	}
	if l.Allow("u-1", false, t0.Add(999*time.Millisecond)) {
		t.Fatal("allowed before a token refilled")
	}
	if !l.Allow("u-1", false, t0.Add(time.Second)) {
		t.Fatal("refused after a second")
	}
	// A steady 1 per second is always allowed; 2 per second is not.
	now := t0.Add(time.Second)
	for i := range 60 {
		now = now.Add(time.Second)
		if !l.Allow("u-1", false, now) {
			t.Fatalf("steady message %d refused", i)
		}
	}
	if n := allowed(l, "u-1", false, now.Add(time.Second), 2); n != 1 {
		t.Fatalf("%d of 2 allowed in one second", n)
	}
	// Others have their own bucket.
	if n := allowed(l, "u-2", false, t0, 10); n != 5 {
		t.Fatalf("second user: %d allowed", n)
	}
}

func TestLimiterStaff(t *testing.T) {
	l := NewLimiter(LimiterConfig{})
	if n := allowed(l, "u-t", true, t0, 30); n != 20 {
		t.Fatalf("staff burst: %d allowed, want 20", n)
	}
	if n := allowed(l, "u-t", true, t0.Add(time.Second), 10); n != 5 {
		t.Fatalf("staff after a second: %d allowed, want 5", n)
	}
}

func TestLimiterConfigured(t *testing.T) {
	cfg := LimiterConfig{StudentRate: 0.5, StudentBurst: 2, StaffRate: 10, StaffBurst: 3}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	l := NewLimiter(cfg)
	if n := allowed(l, "u-1", false, t0, 5); n != 2 {
		t.Fatalf("student burst %d", n)
	}
	if n := allowed(l, "u-1", false, t0.Add(time.Second), 5); n != 0 {
		t.Fatalf("student after 1 s at 0.5/s: %d", n)
	}
	if n := allowed(l, "u-1", false, t0.Add(2*time.Second), 5); n != 1 {
		t.Fatalf("student after 2 s at 0.5/s: %d", n)
	}
	if n := allowed(l, "u-t", true, t0, 5); n != 3 {
		t.Fatalf("staff burst %d", n)
	}
}

// TestLimiterRoleChange: a student made staff gets the staff rate; staff
// made student keeps at most the student burst.
func TestLimiterRoleChange(t *testing.T) {
	l := NewLimiter(LimiterConfig{})
	allowed(l, "u-1", true, t0, 1) // 19 tokens left as staff
	if n := allowed(l, "u-1", false, t0, 10); n != 5 {
		t.Fatalf("demoted: %d allowed, want the student burst 5", n)
	}
	if n := allowed(l, "u-1", true, t0.Add(time.Second), 10); n != 5 {
		t.Fatalf("promoted: %d allowed after a second, want 5", n)
	}
}

// TestLimiterPrunesIdleUsers: buckets of users who stopped sending are
// dropped, so the limiter does not grow with everyone who ever wrote, and
// pruning changes no decision.
func TestLimiterPrunesIdleUsers(t *testing.T) {
	l := NewLimiter(LimiterConfig{})
	for i := range 1000 {
		l.Allow(fmt.Sprint("u-", i), false, t0)
	}
	if l.Len() != 1000 {
		t.Fatalf("Len %d", l.Len())
	}
	later := t0.Add(time.Minute)
	l.Allow("u-active", false, later)
	if l.Len() != 1 {
		t.Fatalf("Len %d after everyone else went idle", l.Len())
	}
	// A user pruned comes back with a full burst, as if never pruned.
	if n := allowed(l, "u-7", false, later, 10); n != 5 {
		t.Fatalf("returning user: %d allowed", n)
	}
	// Within the fill time nobody is dropped.
	for i := range 100 {
		l.Allow(fmt.Sprint("v-", i), false, later.Add(time.Second))
	}
	l.Allow("u-active", false, later.Add(2*time.Second))
	if l.Len() != 102 {
		t.Fatalf("Len %d, want 102", l.Len())
	}
}

func TestLimiterConfigValidate(t *testing.T) {
	for _, cfg := range []LimiterConfig{
		{StudentRate: -1}, {StaffRate: math.NaN()}, {StaffRate: math.Inf(1)}, {StudentBurst: -1},
	} {
		if cfg.Validate() == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	if err := (LimiterConfig{}).Validate(); err != nil {
		t.Error(err)
	}
}
