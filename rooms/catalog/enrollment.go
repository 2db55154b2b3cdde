package catalog

import (
	"fmt"
	"time"
)

// Enrollment gives a user a role in a course, and so the right to join its
// sessions. A user has at most one enrollment per course.
type Enrollment struct {
	CourseID string `json:"course_id"`
	// UserID is the identity provider's or LMS's stable user id.
	UserID string `json:"user_id"`
	Role   Role   `json:"role"`
	// CreatedAt is set by the catalog when the user is first enrolled and
	// kept when the role changes.
	CreatedAt time.Time `json:"created_at"`
}

// Validate reports the first field that is not acceptable.
func (e Enrollment) Validate() error {
	if err := checkID("enrollment.course_id", e.CourseID); err != nil {
		return err
	}
	if err := checkID("enrollment.user_id", e.UserID); err != nil {
		return err
	}
	if !e.Role.Valid() {
		return invalid("enrollment.role", fmt.Sprintf("%q is not one of teacher, moderator, student, observer", e.Role))
	}
	return nil
}
