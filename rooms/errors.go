package rooms

import "errors"

var (
	// ErrSessionFull is returned by Join when the session has reached
	// Config.MaxParticipants.
	ErrSessionFull = errors.New("session is full")
	// ErrClosed is returned when the registry or session is shutting down.
	ErrClosed = errors.New("session closed")
	// ErrBadHello is returned for a hello that names no session or no name.
	ErrBadHello = errors.New("invalid hello")
	// ErrSessionEnded is returned by Join once the session has ended.
	ErrSessionEnded = errors.New("session has ended")
	// ErrRemoved is returned by Join for a user removed from the session.
	ErrRemoved = errors.New("removed from the session")
)
