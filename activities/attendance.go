package activities

import "time"

// Interval is one connection of a participant to a session, from join to
// leave. LeftAt is zero while the connection is open.
type Interval struct {
	Session  string    `json:"session"`
	User     string    `json:"user"`
	Role     string    `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
	LeftAt   time.Time `json:"left_at,omitzero"`
}

// Event kinds recorded for analytics and attendance. Joins, leaves and
// reconnects describe connections; away and active the visibility a
// client reports; the rest are engagement.
const (
	EventJoin       = "join"
	EventLeave      = "leave"
	EventReconnect  = "reconnect"
	EventAway       = "away"   // the tab was hidden or heartbeats stopped
	EventActive     = "active" // back from away
	EventChat       = "chat"
	EventPollAnswer = "poll_answer"
	EventHand       = "hand"
	EventStroke     = "stroke"
	EventAction     = "action" // a privileged action; Detail names it
	EventVideoError = "video_error"
)

// Event is one thing a participant did or that happened to their
// connection, kept for analysts and for attendance.
type Event struct {
	Session string    `json:"session"`
	User    string    `json:"user"`
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
	// Detail is a short free-form qualifier (the action's name, a video
	// error code); never personal data beyond the user id.
	Detail string `json:"detail,omitempty"`
}

// Attendance statuses.
const (
	StatusPresent   = "present"
	StatusLate      = "late"
	StatusLeftEarly = "left_early"
	StatusAbsent    = "absent"
)

// AttendanceRecord is one participant's attendance of a session, with the
// evidence that decided Status (docs/attendance.md).
type AttendanceRecord struct {
	Session string `json:"session"`
	User    string `json:"user"`
	Name    string `json:"name,omitempty"`
	Role    string `json:"role"`
	// FirstJoin and LastLeave are zero for a participant who never joined.
	FirstJoin time.Time `json:"first_join,omitzero"`
	LastLeave time.Time `json:"last_leave,omitzero"`
	// ConnectedSeconds counts time connected, reconnects within the grace
	// period merged; ActiveSeconds the part of it not away.
	ConnectedSeconds int64 `json:"connected_seconds"`
	ActiveSeconds    int64 `json:"active_seconds"`
	// Engagement counts events by kind (chat, poll_answer, hand, stroke).
	Engagement map[string]int `json:"engagement"`
	Status     string         `json:"status"`
	// Evidence says, in words, why Status was chosen.
	Evidence   string    `json:"evidence"`
	ComputedAt time.Time `json:"computed_at"`
	// Final is set for the record computed when the session ended.
	Final bool `json:"final"`
}
