package attendance_test

import (
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/attendance"
)

func ExampleCompute() {
	at := func(hhmm string) time.Time {
		t, _ := time.Parse("2006-01-02 15:04", "2026-11-30 "+hhmm)
		return t
	}
	sched := attendance.Schedule{Session: "algebra-1", Start: at("09:00"), End: at("09:50"), Ended: at("09:50")}
	roster := []attendance.Participant{
		{User: "u-ada", Name: "Ada", Role: "student"},
		{User: "u-ben", Name: "Ben", Role: "student"},
		{User: "u-cy", Name: "Cy", Role: "student"},
	}
	intervals := []activities.Interval{
		{Session: "algebra-1", User: "u-ada", Role: "student", JoinedAt: at("09:12"), LeftAt: at("09:30")},
		{Session: "algebra-1", User: "u-ada", Role: "student", JoinedAt: at("09:31"), LeftAt: at("09:50")},
		{Session: "algebra-1", User: "u-ben", Role: "student", JoinedAt: at("09:00"), LeftAt: at("09:02")},
	}
	events := []activities.Event{
		{Session: "algebra-1", User: "u-ada", Kind: activities.EventChat, At: at("09:14")},
		{Session: "algebra-1", User: "u-ada", Kind: activities.EventAway, At: at("09:40")},
		{Session: "algebra-1", User: "u-ada", Kind: activities.EventPollAnswer, At: at("09:42")},
	}
	for _, r := range attendance.Compute(attendance.Config{}, sched, roster, intervals, events, at("09:50"), true) {
		fmt.Printf("%s %s: %s\n", r.User, r.Status, r.Evidence)
	}
	// Output:
	// u-ada late: joined 12m after start (late after 5m); stayed to the end; connected 38m of 50m (76%), 1 disconnect under the 2m grace merged; active 35m (92% of connected); 1 chat message, 1 poll answer
	// u-ben absent: joined at start; left 48m before end (left early before 5m); connected 2m of 50m (4%, under the 25% minimum); active 2m; no chat, poll answers, hands or strokes
	// u-cy absent: never joined
}
