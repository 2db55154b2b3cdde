package catalog

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound is returned when the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned for a write that contradicts what is stored:
	// creating an id that exists, updating a record that changed since it
	// was read (a stale UpdatedAt), or naming a parent that does not exist
	// (a course of a missing institution).
	ErrConflict = errors.New("conflict")
	// ErrInvalid is returned for a record that fails validation. Errors
	// that wrap it are *InvalidError and name the field.
	ErrInvalid = errors.New("invalid")
	// ErrNotEnrolled is returned by Admission when the user holds no
	// enrollment in the session's course.
	ErrNotEnrolled = errors.New("not enrolled")
)

// InvalidError names the field that failed validation and why. It matches
// ErrInvalid with errors.Is.
type InvalidError struct {
	// Field is the record and JSON field, e.g. "session.ends_at".
	Field string
	// Reason says what is wrong, e.g. "must be after starts_at".
	Reason string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason) }

// Is reports whether target is ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, reason string) error { return &InvalidError{Field: field, Reason: reason} }
