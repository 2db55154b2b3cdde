package catalog

import (
	"context"
	"fmt"
	"maps"
)

// PutEnrollment implements Catalog.
func (m *Memory) PutEnrollment(_ context.Context, e Enrollment) (Enrollment, error) {
	if err := e.Validate(); err != nil {
		return Enrollment{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.courses[e.CourseID]; !ok {
		return Enrollment{}, fmt.Errorf("%w: course %q does not exist", ErrConflict, e.CourseID)
	}
	users := m.enrollments[e.CourseID]
	if users == nil {
		users = make(map[string]Enrollment)
		m.enrollments[e.CourseID] = users
	}
	if prev, ok := users[e.UserID]; ok {
		e.CreatedAt = prev.CreatedAt
	} else {
		e.CreatedAt = m.now()
	}
	users[e.UserID] = e
	m.hub.Publish(Event{Kind: EnrollmentChanged, CourseID: e.CourseID, UserID: e.UserID})
	return e, nil
}

// GetEnrollment implements Catalog.
func (m *Memory) GetEnrollment(_ context.Context, courseID, userID string) (Enrollment, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e, ok := m.enrollments[courseID][userID]
	if !ok {
		return Enrollment{}, fmt.Errorf("enrollment of user %q in course %q %w", userID, courseID, ErrNotFound)
	}
	return e, nil
}

// DeleteEnrollment implements Catalog.
func (m *Memory) DeleteEnrollment(_ context.Context, courseID, userID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	users := m.enrollments[courseID]
	if _, ok := users[userID]; !ok {
		return fmt.Errorf("enrollment of user %q in course %q %w", userID, courseID, ErrNotFound)
	}
	delete(users, userID)
	if len(users) == 0 {
		delete(m.enrollments, courseID)
	}
	m.hub.Publish(Event{Kind: EnrollmentRemoved, CourseID: courseID, UserID: userID})
	return nil
}

// ListEnrollments implements Catalog.
func (m *Memory) ListEnrollments(_ context.Context, courseID string, p Page) ([]Enrollment, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	users := m.enrollments[courseID]
	return pageOf(maps.Keys(users), func(id string) Enrollment { return users[id] }, p), nil
}

// Admission implements Catalog in three map lookups under the read lock.
func (m *Memory) Admission(_ context.Context, sessionID, userID string) (Admission, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sessions[sessionID]
	if !ok {
		return Admission{}, fmt.Errorf("session %q %w", sessionID, ErrNotFound)
	}
	a := Admission{Session: s, Course: m.courses[s.CourseID]}
	e, ok := m.enrollments[s.CourseID][userID]
	if !ok {
		return a, fmt.Errorf("user %q in course %q: %w", userID, s.CourseID, ErrNotEnrolled)
	}
	a.Role = e.Role
	return a, nil
}
