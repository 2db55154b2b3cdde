package catalog

import (
	"context"
	"fmt"
	"maps"
)

// PutInstitution implements Catalog.
func (m *Memory) PutInstitution(_ context.Context, in Institution) (Institution, error) {
	if err := in.Validate(); err != nil {
		return Institution{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	prev, ok := m.institutions[in.ID]
	created, updated, err := Stamp(m.now(), "institution", in.ID, in.UpdatedAt, prev.CreatedAt, prev.UpdatedAt, ok)
	if err != nil {
		return Institution{}, err
	}
	in.CreatedAt, in.UpdatedAt = created, updated
	m.institutions[in.ID] = in
	return in, nil
}

// GetInstitution implements Catalog.
func (m *Memory) GetInstitution(_ context.Context, id string) (Institution, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	in, ok := m.institutions[id]
	if !ok {
		return Institution{}, fmt.Errorf("institution %q %w", id, ErrNotFound)
	}
	return in, nil
}

// ListInstitutions implements Catalog.
func (m *Memory) ListInstitutions(_ context.Context, p Page) ([]Institution, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return pageOf(maps.Keys(m.institutions), func(id string) Institution { return m.institutions[id] }, p), nil
}

// PutCourse implements Catalog.
func (m *Memory) PutCourse(_ context.Context, c Course) (Course, error) {
	if err := c.Validate(); err != nil {
		return Course{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.institutions[c.InstitutionID]; !ok {
		return Course{}, fmt.Errorf("%w: institution %q does not exist", ErrConflict, c.InstitutionID)
	}
	prev, ok := m.courses[c.ID]
	created, updated, err := Stamp(m.now(), "course", c.ID, c.UpdatedAt, prev.CreatedAt, prev.UpdatedAt, ok)
	if err != nil {
		return Course{}, err
	}
	c.CreatedAt, c.UpdatedAt = created, updated
	m.courses[c.ID] = c
	index(m.coursesByInst, c.InstitutionID, prev.InstitutionID, c.ID)
	return c, nil
}

// GetCourse implements Catalog.
func (m *Memory) GetCourse(_ context.Context, id string) (Course, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.courses[id]
	if !ok {
		return Course{}, fmt.Errorf("course %q %w", id, ErrNotFound)
	}
	return c, nil
}

// ListCourses implements Catalog.
func (m *Memory) ListCourses(_ context.Context, institutionID string, p Page) ([]Course, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := maps.Keys(m.courses)
	if institutionID != "" {
		ids = maps.Keys(m.coursesByInst[institutionID])
	}
	return pageOf(ids, func(id string) Course { return m.courses[id] }, p), nil
}

// PutSession implements Catalog.
func (m *Memory) PutSession(_ context.Context, s Session) (Session, error) {
	s.StartsAt, s.EndsAt = normTime(s.StartsAt), normTime(s.EndsAt)
	if err := s.Validate(); err != nil {
		return Session{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.courses[s.CourseID]; !ok {
		return Session{}, fmt.Errorf("%w: course %q does not exist", ErrConflict, s.CourseID)
	}
	prev, ok := m.sessions[s.ID]
	created, updated, err := Stamp(m.now(), "session", s.ID, s.UpdatedAt, prev.CreatedAt, prev.UpdatedAt, ok)
	if err != nil {
		return Session{}, err
	}
	s.CreatedAt, s.UpdatedAt = created, updated
	m.sessions[s.ID] = s
	index(m.sessionsByCourse, s.CourseID, prev.CourseID, s.ID)

	kind := SessionChanged
	if s.State == StateEnded && (!ok || prev.State != StateEnded) {
		kind = SessionEnded
	}
	m.hub.Publish(Event{Kind: kind, CourseID: s.CourseID, SessionID: s.ID})
	return s, nil
}

// GetSession implements Catalog.
func (m *Memory) GetSession(_ context.Context, id string) (Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sessions[id]
	if !ok {
		return Session{}, fmt.Errorf("session %q %w", id, ErrNotFound)
	}
	return s, nil
}

// ListSessions implements Catalog.
func (m *Memory) ListSessions(_ context.Context, courseID string, p Page) ([]Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := maps.Keys(m.sessions)
	if courseID != "" {
		ids = maps.Keys(m.sessionsByCourse[courseID])
	}
	return pageOf(ids, func(id string) Session { return m.sessions[id] }, p), nil
}
