package attendance

import (
	"slices"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// Compute returns the attendance record of every participant of a
// session, ordered by user id: everyone on the roster (one who never
// joined is absent, "never joined") and everyone else who connected (their
// evidence says they are not on the roster).
//
// intervals are the session's connections (LeftAt zero: still connected at
// now) and events what the session recorded of its participants; events of
// users who are neither on the roster nor connected are ignored. now is
// when the records are computed; final is set for the computation at the
// end of the session, and then a connection still open counts as closed at
// now. Only students are graded: teachers, moderators and observers get
// their numbers and present if they connected, absent if not.
//
// Times are taken to the second. Compute expects cfg to pass Validate; a
// value it would refuse is replaced by its default. The method is
// docs/attendance.md.
func Compute(cfg Config, sched Schedule, roster []Participant, intervals []activities.Interval, events []activities.Event, now time.Time, final bool) []activities.AttendanceRecord {
	cfg = cfg.withDefaults()
	if sched.Session == "" {
		sched.Session = sessionOf(intervals, events)
	}
	w := newWindow(sched, now, final)
	people := gather(roster, intervals, events, w.now)
	recs := make([]activities.AttendanceRecord, 0, len(people))
	for _, p := range people {
		recs = append(recs, w.record(cfg, p))
	}
	return recs
}

// window is the time a computation counts, and what it judges against.
type window struct {
	sched Schedule
	// count is the schedule extended by the actual run, never past now.
	count span
	// end is what leaving early and the present share are judged
	// against: the scheduled end, or the actual end if that was earlier.
	end time.Time
	// expected is the time a student could have been there: Start to end.
	expected time.Duration
	now      time.Time
	final    bool
}

func newWindow(s Schedule, now time.Time, final bool) window {
	s.Start, s.End, s.Started, s.Ended = sec(s.Start), sec(s.End), sec(s.Started), sec(s.Ended)
	now = sec(now)
	from := s.Start
	if !s.Started.IsZero() && s.Started.Before(from) {
		from = s.Started
	}
	ended := s.Ended
	if ended.IsZero() && final {
		ended = now
	}
	to := now // a session still running counts up to now, past End too
	if !ended.IsZero() {
		to = minTime(maxTime(s.End, ended), now)
	}
	if to.Before(from) {
		to = from // computed before the start: nothing counts yet
	}
	end := s.End
	if !ended.IsZero() && ended.Before(end) {
		end = ended
	}
	return window{
		sched: s, count: span{from, to}, end: end,
		expected: max(end.Sub(s.Start), 0), now: now, final: final,
	}
}

// person is what Compute knows of one participant.
type person struct {
	Participant
	listed bool
	// conns are their connections, an open one ending at now; joins the
	// start of each.
	conns []span
	joins []time.Time
	open  bool // a connection is open at now
	// evs are their events in time order; heartbeats is set when any of
	// them is an EventHeartbeat.
	evs        []activities.Event
	heartbeats bool
	// connRole is the role of their latest connection (at the same
	// instant, the greater string, so that input order does not matter).
	connRole string
	connAt   time.Time
}

func gather(roster []Participant, intervals []activities.Interval, events []activities.Event, now time.Time) []*person {
	byUser := make(map[string]*person, len(roster))
	for _, r := range roster {
		if r.User == "" || byUser[r.User] != nil {
			continue
		}
		byUser[r.User] = &person{Participant: r, listed: true}
	}
	for _, iv := range intervals {
		from, to := sec(iv.JoinedAt), sec(iv.LeftAt)
		if iv.User == "" || from.IsZero() || from.After(now) {
			continue
		}
		p := byUser[iv.User]
		if p == nil {
			p = &person{Participant: Participant{User: iv.User}}
			byUser[iv.User] = p
		}
		open := to.IsZero()
		if open || to.After(now) {
			to = now
		}
		to = maxTime(to, from) // a leave recorded before its join counts nothing
		p.conns = append(p.conns, span{from, to})
		p.joins = append(p.joins, from)
		p.open = p.open || open
		if iv.Role != "" && (from.After(p.connAt) || from.Equal(p.connAt) && iv.Role > p.connRole) {
			p.connRole, p.connAt = iv.Role, from
		}
	}
	for _, e := range events {
		p := byUser[e.User]
		e.At = sec(e.At)
		if p == nil || e.At.IsZero() || e.At.After(now) {
			continue
		}
		p.evs = append(p.evs, e)
		p.heartbeats = p.heartbeats || e.Kind == EventHeartbeat
	}
	people := make([]*person, 0, len(byUser))
	for _, p := range byUser {
		slices.SortStableFunc(p.evs, func(a, b activities.Event) int { return a.At.Compare(b.At) })
		if p.Role == "" {
			p.Role = p.connRole
		}
		if p.Role == "" {
			p.Role = roleStudent
		}
		people = append(people, p)
	}
	slices.SortFunc(people, func(a, b *person) int { return strings.Compare(a.User, b.User) })
	return people
}

// sessionOf returns the session named by the first interval or event that
// names one.
func sessionOf(intervals []activities.Interval, events []activities.Event) string {
	for _, iv := range intervals {
		if iv.Session != "" {
			return iv.Session
		}
	}
	for _, e := range events {
		if e.Session != "" {
			return e.Session
		}
	}
	return ""
}

// sec drops the fractions of a second; the zero time stays zero.
func sec(t time.Time) time.Time { return t.Truncate(time.Second) }
