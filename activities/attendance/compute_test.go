package attendance

import (
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestSessionFromInputs(t *testing.T) {
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ivs := []activities.Interval{{Session: "algebra-1", User: "u-a", JoinedAt: start, LeftAt: start.Add(50 * time.Minute)}}
	recs := Compute(Config{}, Schedule{Start: start, End: start.Add(50 * time.Minute)},
		[]Participant{{User: "u-b", Role: "student"}}, ivs, nil, start.Add(50*time.Minute), true)
	if len(recs) != 2 || recs[0].Session != "algebra-1" || recs[1].Session != "algebra-1" {
		t.Fatalf("records %+v, want both of session algebra-1", recs)
	}
}
