package catalog

import (
	"fmt"
	"time"
)

// State is where a session is in its life.
type State string

// The states. A session is created scheduled, goes live when the teacher
// starts it and ends once; see CanTransition.
const (
	StateScheduled State = "scheduled"
	StateLive      State = "live"
	StateEnded     State = "ended"
)

// Valid reports whether s is one of the three states.
func (s State) Valid() bool {
	switch s {
	case StateScheduled, StateLive, StateEnded:
		return true
	}
	return false
}

// CanTransition reports whether a session in state from may be put in
// state to: any state may stay as it is or end, and a scheduled session may
// go live; an ended session is final. The catalog stores any valid state;
// callers that take requests (rooms/admin) enforce this.
func CanTransition(from, to State) bool {
	return from == to || to == StateEnded || (from == StateScheduled && to == StateLive)
}

// Session is one scheduled live class of a course. Its id is the session
// name clients send in hello.
type Session struct {
	ID       string    `json:"id"`
	CourseID string    `json:"course_id"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	State    State     `json:"state"`
	Settings Settings  `json:"settings"`
	Video    Video     `json:"video"`
	// CreatedAt and UpdatedAt are set by the catalog; see Catalog.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate reports the first field that is not acceptable.
func (s Session) Validate() error {
	if err := checkID("session.id", s.ID); err != nil {
		return err
	}
	if err := checkID("session.course_id", s.CourseID); err != nil {
		return err
	}
	if err := checkName("session.title", s.Title); err != nil {
		return err
	}
	if s.StartsAt.IsZero() {
		return invalid("session.starts_at", "is required")
	}
	if s.EndsAt.IsZero() {
		return invalid("session.ends_at", "is required")
	}
	if !s.EndsAt.After(s.StartsAt) {
		return invalid("session.ends_at", "must be after starts_at")
	}
	if !s.State.Valid() {
		return invalid("session.state", fmt.Sprintf("%q is not one of scheduled, live, ended", s.State))
	}
	if err := s.Settings.Validate(); err != nil {
		return err
	}
	return s.Video.Validate()
}
