package catalog

// EventKind says what changed.
type EventKind string

// The kinds of Event.
const (
	// EnrollmentChanged: a user was enrolled or their role changed
	// (CourseID, UserID).
	EnrollmentChanged EventKind = "enrollment_changed"
	// EnrollmentRemoved: a user's enrollment was deleted (CourseID,
	// UserID); members of live sessions of the course who joined through
	// it should be removed.
	EnrollmentRemoved EventKind = "enrollment_removed"
	// SessionChanged: a session was created or its title, schedule,
	// state, settings or video changed (CourseID, SessionID).
	SessionChanged EventKind = "session_changed"
	// SessionEnded: a session entered StateEnded (CourseID, SessionID).
	SessionEnded EventKind = "session_ended"
	// Resync: this subscriber fell behind and lost events; it should
	// re-read whatever it depends on. No other field is set.
	Resync EventKind = "resync"
)

// Event reports a change to the catalog; subscribers re-read what they
// need rather than trusting the event to carry it.
type Event struct {
	Kind      EventKind `json:"kind"`
	CourseID  string    `json:"course_id,omitempty"`
	SessionID string    `json:"session_id,omitempty"`
	UserID    string    `json:"user_id,omitempty"`
}
