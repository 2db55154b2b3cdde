package rooms

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/attendance"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// maxLiveEvents bounds the engagement events a live session keeps for
// the teacher's live attendance; the store keeps all of them.
const maxLiveEvents = 200_000

// attendanceLog is what a live session records for attendance: the
// connections that closed on this node, engagement, and who was seen.
type attendanceLog struct {
	intervals []activities.Interval
	events    []activities.Event
	lastLeft  map[string]time.Time // user → when their last connection closed
	names     map[string]string    // user → display name
	roles     map[string]string
}

func newAttendanceLog() attendanceLog {
	return attendanceLog{lastLeft: map[string]time.Time{}, names: map[string]string{}, roles: map[string]string{}}
}

// record keeps an event for live attendance and queues it for the store.
func (s *Session) record(ev activities.Event) {
	a := s.act
	if len(a.att.events) < maxLiveEvents {
		a.att.events = append(a.att.events, ev)
	}
	s.reg.act.w.event(ev)
}

// attJoined records a member's connection opening.
func (s *Session) attJoined(m *Member, now time.Time) {
	if s.act == nil {
		return
	}
	m.joinedAt = now
	a := &s.act.att
	a.names[m.User], a.roles[m.User] = m.Name, string(m.role)
	kind := activities.EventJoin
	if left, ok := a.lastLeft[m.User]; ok && now.Sub(left) <= s.reg.act.cfg.Attendance.Grace {
		kind = activities.EventReconnect
	}
	s.record(activities.Event{Session: s.id, User: m.User, Kind: kind, At: now})
}

// attLeft closes the member's connection interval.
func (s *Session) attLeft(m *Member, now time.Time) {
	if s.act == nil || m.joinedAt.IsZero() {
		return
	}
	iv := activities.Interval{Session: s.id, User: m.User, Role: string(m.role), JoinedAt: m.joinedAt, LeftAt: now}
	s.act.att.intervals = append(s.act.att.intervals, iv)
	s.act.att.lastLeft[m.User] = now
	s.reg.act.w.interval(iv)
	s.record(activities.Event{Session: s.id, User: m.User, Kind: activities.EventLeave, At: now})
}

// attPresence notes a member's visibility changing (tab hidden or shown).
func (s *Session) attPresence(m *Member, status string, now time.Time) {
	if s.act == nil {
		return
	}
	away := status == "away"
	if away == m.away {
		return
	}
	m.away = away
	kind := activities.EventActive
	if away {
		kind = activities.EventAway
	}
	s.record(activities.Event{Session: s.id, User: m.User, Kind: kind, At: now})
}

// engaged counts an engagement event of a member.
func (s *Session) engaged(m *Member, kind string, at time.Time) { s.engagedUser(m.User, kind, at) }

func (s *Session) engagedUser(user, kind string, at time.Time) {
	if s.act == nil {
		return
	}
	s.record(activities.Event{Session: s.id, User: user, Kind: kind, At: at})
}

// attendanceInput gathers, on the session goroutine, copies of what the
// attendance computation reads; the computation runs on a worker.
func (s *Session) attendanceInput(now time.Time) ([]attendance.Participant, []activities.Interval, []activities.Event) {
	a := &s.act.att
	ivs := slices.Clone(a.intervals)
	for _, m := range s.members {
		if !m.joinedAt.IsZero() {
			ivs = append(ivs, activities.Interval{Session: s.id, User: m.User, Role: string(m.role), JoinedAt: m.joinedAt})
		}
	}
	roster := make([]attendance.Participant, 0, len(a.names))
	for _, u := range slices.Sorted(maps.Keys(a.names)) {
		roster = append(roster, attendance.Participant{User: u, Name: a.names[u], Role: a.roles[u]})
	}
	return roster, ivs, slices.Clone(a.events)
}

func (s *Session) schedule() attendance.Schedule {
	return attendance.Schedule{Session: s.id, Start: s.startsAt, End: s.endsAt, Ended: s.endedAt}
}

// attendanceRequest answers a teacher asking for live attendance.
func (s *Session) attendanceRequest(m *Member, _ []byte) {
	if !Allowed(m.role, ActOpenPoll) {
		refuseFor(m, wire.CodeForbidden, "", "a %s may not see attendance", m.role)
		return
	}
	now := time.Now()
	roster, ivs, evs := s.attendanceInput(now)
	cfg, sched := s.reg.act.cfg.Attendance, s.schedule()
	s.async(func(context.Context) func(*Session) {
		recs := attendance.Compute(cfg, sched, roster, ivs, evs, now, false)
		b, _ := json.Marshal(map[string]any{"type": "attendance", "records": recs})
		frame := wire.EncodeFrame(wire.TypeApp, b)
		return func(s *Session) {
			if s.isMember(m) {
				m.conn.Send(frame)
			}
		}
	})
}

// enrollmentLister is implemented by catalogs that list a course's
// enrollments; the final attendance then includes students who never
// joined.
type enrollmentLister interface {
	ListEnrollments(ctx context.Context, courseID string, p catalog.Page) ([]catalog.Enrollment, error)
}

// finalAttendance computes and stores the attendance of an ended session
// from everything the store holds (connections on any node), once the
// writers have flushed this node's part.
func (s *Session) finalAttendance() {
	if s.act == nil {
		return
	}
	now := time.Now()
	roster, _, _ := s.attendanceInput(now)
	cfg, sched, course, id := s.reg.act.cfg.Attendance, s.schedule(), s.courseID, s.id
	w, st, dir, log := s.reg.act.w, s.reg.act.store, s.reg.dir, s.log
	s.async(func(ctx context.Context) func(*Session) {
		if err := w.flush(ctx); err != nil {
			log.Warn("final attendance computed before the event writers drained", "err", err)
		}
		if l, ok := dir.(enrollmentLister); ok && course != "" {
			roster = addEnrolled(ctx, l, course, roster)
		}
		ivs, err := st.Intervals(ctx, id)
		if err == nil {
			var evs []activities.Event
			if evs, err = st.Events(ctx, id); err == nil {
				recs := attendance.Compute(cfg, sched, roster, ivs, evs, now, true)
				err = st.SaveAttendance(ctx, id, recs)
			}
		}
		if err != nil {
			log.Error("failed to store the final attendance", "err", err)
		}
		return nil
	})
}

func addEnrolled(ctx context.Context, l enrollmentLister, course string, roster []attendance.Participant) []attendance.Participant {
	seen := map[string]bool{}
	for _, p := range roster {
		seen[p.User] = true
	}
	page := catalog.Page{}
	for {
		es, err := l.ListEnrollments(ctx, course, page)
		if err != nil || len(es) == 0 {
			return roster
		}
		for _, e := range es {
			if !seen[e.UserID] {
				seen[e.UserID] = true
				roster = append(roster, attendance.Participant{User: e.UserID, Role: string(e.Role)})
			}
		}
		page.After = es[len(es)-1].UserID
	}
}
