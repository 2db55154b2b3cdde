package records

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/homeroom-edu/homeroom/activities"
)

// Time is t as every store keeps it: UTC, to the microsecond (what
// Postgres keeps); the zero time stays zero.
func Time(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// list is a copy of s, nil if s is empty.
func list[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// Text is s as every store keeps free text: valid UTF-8 without NUL
// (which Postgres cannot store in text or jsonb), each invalid byte and
// each NUL replaced by U+FFFD. A store never fails on what a participant
// typed.
func Text(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// texts is Text of each of s, in a copy; nil if s is empty.
func texts(s []string) []string {
	out := list(s)
	for i := range out {
		out[i] = Text(out[i])
	}
	return out
}

// Chat is m as stored: a tombstone keeps no text.
func Chat(m activities.ChatMessage) activities.ChatMessage {
	m.SentAt, m.DeletedAt = Time(m.SentAt), Time(m.DeletedAt)
	m.Text, m.Name = Text(m.Text), Text(m.Name)
	if m.Deleted() {
		m.Text = ""
	}
	return m
}

// Poll is p as stored, with its own copies of its lists. A closed poll
// keeps no ballot key, whatever the caller passed.
func Poll(p activities.Poll) activities.Poll {
	p.OpenedAt, p.ClosedAt = Time(p.OpenedAt), Time(p.ClosedAt)
	p.Question, p.Options = Text(p.Question), texts(p.Options)
	p.Correct, p.BallotKey = list(p.Correct), list(p.BallotKey)
	if p.Closed() {
		p.BallotKey = nil
	}
	return p
}

// Submission is s as stored: Replace unset (it is not stored), and its
// own copies of Choices and Score.
func Submission(s activities.Submission) activities.Submission {
	s.Replace = false
	s.SubmittedAt = Time(s.SubmittedAt)
	s.Text, s.Choices = Text(s.Text), list(s.Choices)
	if s.Score != nil {
		score := *s.Score
		s.Score = &score
	}
	return s
}

// Results is r as stored, with its own copies of its lists.
func Results(r activities.Results) activities.Results {
	r.ComputedAt = Time(r.ComputedAt)
	r.Counts, r.Texts, r.Correct = list(r.Counts), texts(r.Texts), list(r.Correct)
	return r
}

// Event is e as stored.
func Event(e activities.Event) activities.Event {
	e.At, e.Detail = Time(e.At), Text(e.Detail)
	return e
}

// Interval is iv as stored.
func Interval(iv activities.Interval) activities.Interval {
	iv.JoinedAt, iv.LeftAt = Time(iv.JoinedAt), Time(iv.LeftAt)
	return iv
}

// Attendance is r as stored, with its own copy of Engagement (nil if
// empty).
func Attendance(r activities.AttendanceRecord) activities.AttendanceRecord {
	r.FirstJoin, r.LastLeave, r.ComputedAt = Time(r.FirstJoin), Time(r.LastLeave), Time(r.ComputedAt)
	r.Name, r.Evidence = Text(r.Name), Text(r.Evidence)
	if len(r.Engagement) == 0 {
		r.Engagement = nil
	} else {
		r.Engagement = maps.Clone(r.Engagement)
	}
	return r
}

// AttendanceOf returns the records SaveAttendance keeps for session:
// canonical, with Session set, in user order. It fails if a record names
// another session or two records name the same user.
func AttendanceOf(session string, recs []activities.AttendanceRecord) ([]activities.AttendanceRecord, error) {
	out := make([]activities.AttendanceRecord, 0, len(recs))
	for _, r := range recs {
		if r.Session != "" && r.Session != session {
			return nil, fmt.Errorf("record of user %q is for session %q, not %q", r.User, r.Session, session)
		}
		r.Session = session
		out = append(out, Attendance(r))
	}
	slices.SortFunc(out, func(a, b activities.AttendanceRecord) int { return strings.Compare(a.User, b.User) })
	for i := 1; i < len(out); i++ {
		if out[i].User == out[i-1].User {
			return nil, fmt.Errorf("two records of user %q", out[i].User)
		}
	}
	return out, nil
}
