package catalog

import (
	"fmt"
	"strings"
)

// Role is what an enrolled user is in a course.
type Role string

// The roles, from most to least privileged.
const (
	// RoleTeacher owns the course; a course may have several.
	RoleTeacher Role = "teacher"
	// RoleModerator is a teaching assistant.
	RoleModerator Role = "moderator"
	// RoleStudent takes part.
	RoleStudent Role = "student"
	// RoleObserver may watch and read but not write.
	RoleObserver Role = "observer"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleTeacher, RoleModerator, RoleStudent, RoleObserver:
		return true
	}
	return false
}

// ParseRole reads a role name, ignoring case and surrounding space. An
// unknown name is an error wrapping ErrInvalid.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", &InvalidError{Field: "role", Reason: fmt.Sprintf("%q is not one of teacher, moderator, student, observer", s)}
	}
	return r, nil
}
