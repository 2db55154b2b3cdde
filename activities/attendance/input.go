package attendance

import (
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// Schedule is when a session was meant to run and, once known, when it
// actually ran.
type Schedule struct {
	// Session is the session's id, copied into every record. Empty: the
	// session of the first interval or event that names one.
	Session string
	// Start and End are the scheduled times (catalog StartsAt, EndsAt).
	// Lateness is measured from Start, leaving early up to End.
	Start, End time.Time
	// Started is when the teacher actually started the session, if known;
	// a session started before Start counts time from Started. Zero:
	// unknown, Start is used.
	Started time.Time
	// Ended is when the session actually ended. Zero while it runs; a
	// final computation with Ended zero takes now as the end. A session
	// that ran past End counts time up to Ended; one that ended before End
	// judges leaving early and the present share against Ended.
	Ended time.Time
}

// Participant is one expected participant of a session: an enrolled
// student, or a teacher, moderator or observer of the course.
type Participant struct {
	User string
	Name string
	// Role is the participant's role in the course (student, teacher,
	// moderator, observer). Only students are graded; empty means the role
	// of their connections, or student if they never connected.
	Role string
}

// EventHeartbeat is the kind of an event recording one presence heartbeat
// a client sent. The activities package defines no kind for it because
// recording heartbeats is optional: a session that records them for a
// participant must record every one (at least one per AwayAfter), and a
// longer silence then counts as away. A participant without any heartbeat
// event counts active while connected unless they report away.
const EventHeartbeat = "heartbeat"

// roleStudent is the role that is graded (rooms/identity.RoleStudent).
const roleStudent = "student"

// engagementKinds are the event kinds counted in a record's Engagement, in
// the order the evidence names them. They also prove a participant was
// not away.
var engagementKinds = []string{
	activities.EventChat,
	activities.EventPollAnswer,
	activities.EventHand,
	activities.EventStroke,
}

func isEngagement(kind string) bool { return slices.Contains(engagementKinds, kind) }
