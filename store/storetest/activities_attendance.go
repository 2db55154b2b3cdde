package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func testEvents(t *testing.T, s activities.Store) {
	ctx := context.Background()
	ev := func(user, kind string, d time.Duration, detail string) activities.Event {
		return activities.Event{Session: "ses-1", User: user, Kind: kind, At: at(d), Detail: detail}
	}
	join := ev("u-1", activities.EventJoin, 0, "")
	chat := ev("u-1", activities.EventChat, 5*time.Second, "")
	away := ev("u-2", activities.EventAway, 3*time.Second, "")
	action := ev("u-t", activities.EventAction, 4*time.Second, "board.lock")
	video := ev("u-2", activities.EventVideoError, time.Second, "join_failed")
	other := activities.Event{Session: "ses-2", User: "u-1", Kind: activities.EventJoin, At: at(0)}
	// Two batches, neither in time order, the later one holding earlier
	// events.
	ok(t, s.AppendEvents(ctx, []activities.Event{chat, join, other}))
	ok(t, s.AppendEvents(ctx, []activities.Event{action, video, away}))

	got, err := s.Events(ctx, "ses-1")
	ok(t, err)
	same(t, "events of ses-1", got, []activities.Event{join, video, away, action, chat})
	got, err = s.Events(ctx, "ses-2")
	ok(t, err)
	same(t, "events of ses-2", got, []activities.Event{other})
}

func testIntervals(t *testing.T, s activities.Store) {
	ctx := context.Background()
	iv := func(user string, join, leave time.Duration) activities.Interval {
		i := activities.Interval{Session: "ses-1", User: user, Role: "student", JoinedAt: at(join)}
		if leave > 0 {
			i.LeftAt = at(leave)
		}
		return i
	}
	b2 := iv("u-b", 30*time.Minute, 0) // still open
	a2 := iv("u-a", 20*time.Minute, 40*time.Minute)
	b1 := iv("u-b", 0, 10*time.Minute)
	a1 := iv("u-a", time.Minute, 15*time.Minute)
	upper := iv("U-z", 5*time.Minute, 6*time.Minute) // byte order: before "u-"
	teacher := iv("u-t", 0, time.Hour)
	teacher.Role = "teacher"
	ok(t, s.AppendIntervals(ctx, []activities.Interval{b2, a2, teacher}))
	ok(t, s.AppendIntervals(ctx, []activities.Interval{b1, a1, upper, {Session: "ses-2", User: "u-a", Role: "student", JoinedAt: at(0)}}))

	got, err := s.Intervals(ctx, "ses-1")
	ok(t, err)
	same(t, "intervals of ses-1", got, []activities.Interval{upper, a1, a2, b1, b2, teacher})
	if !got[4].LeftAt.IsZero() {
		t.Fatalf("open interval came back closed at %v", got[4].LeftAt)
	}
}

func testAttendance(t *testing.T, s activities.Store) {
	ctx := context.Background()
	rec := func(user, status string, final bool) activities.AttendanceRecord {
		return activities.AttendanceRecord{
			Session: "ses-1", User: user, Name: "Name " + user, Role: "student",
			FirstJoin: at(time.Minute), LastLeave: at(50 * time.Minute),
			ConnectedSeconds: 2940, ActiveSeconds: 2500,
			Engagement: map[string]int{activities.EventChat: 3, activities.EventHand: 1},
			Status:     status, Evidence: "connected 49 of 50 minutes", ComputedAt: at(51 * time.Minute), Final: final,
		}
	}
	absent := rec("u-c", activities.StatusAbsent, false)
	absent.FirstJoin, absent.LastLeave, absent.ConnectedSeconds, absent.ActiveSeconds = time.Time{}, time.Time{}, 0, 0
	absent.Engagement, absent.Evidence = nil, "never joined"
	live := []activities.AttendanceRecord{rec("u-b", activities.StatusPresent, false), absent, rec("u-a", activities.StatusLate, false)}
	ok(t, s.SaveAttendance(ctx, "ses-1", live))
	other := rec("u-a", activities.StatusPresent, true)
	other.Session = "ses-2"
	ok(t, s.SaveAttendance(ctx, "ses-2", []activities.AttendanceRecord{other}))

	get := func(session string) []activities.AttendanceRecord {
		t.Helper()
		recs, err := s.Attendance(ctx, session)
		ok(t, err)
		return recs
	}
	same(t, "live attendance, by user", get("ses-1"), []activities.AttendanceRecord{live[2], live[0], absent})

	// The final computation replaces every record of the session; a
	// record without Session takes the one it is saved under.
	final := []activities.AttendanceRecord{rec("u-b", activities.StatusLeftEarly, true), rec("u-d", activities.StatusPresent, true)}
	final[1].Session = ""
	ok(t, s.SaveAttendance(ctx, "ses-1", final))
	final[1].Session = "ses-1"
	same(t, "final attendance", get("ses-1"), final)
	same(t, "the other session", get("ses-2"), []activities.AttendanceRecord{other})

	// A record of another session is refused and changes nothing.
	if err := s.SaveAttendance(ctx, "ses-1", []activities.AttendanceRecord{other}); err == nil {
		t.Fatal("saving a record of ses-2 under ses-1 succeeded")
	}
	same(t, "after a refused save", get("ses-1"), final)
}
