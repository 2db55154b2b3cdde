package postgres

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Column lists, in the order the scan functions read them.
const (
	institutionCols = `id, name, retention_days, ballot_links, created_at, updated_at`
	courseCols      = `id, institution_id, name, created_at, updated_at`
	sessionCols     = `id, course_id, title, starts_at, ends_at, state, settings, video, created_at, updated_at`
	enrollmentCols  = `course_id, user_id, role, created_at`
)

func scanInstitution(r pgx.Row) (catalog.Institution, error) {
	var in catalog.Institution
	err := r.Scan(&in.ID, &in.Name, &in.RetentionDays, &in.BallotLinks, &in.CreatedAt, &in.UpdatedAt)
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	return in, err
}

func scanCourse(r pgx.Row) (catalog.Course, error) {
	var c catalog.Course
	err := r.Scan(&c.ID, &c.InstitutionID, &c.Name, &c.CreatedAt, &c.UpdatedAt)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

func scanSession(r pgx.Row) (catalog.Session, error) {
	var s catalog.Session
	err := r.Scan(&s.ID, &s.CourseID, &s.Title, &s.StartsAt, &s.EndsAt, &s.State, &s.Settings, &s.Video, &s.CreatedAt, &s.UpdatedAt)
	utcSession(&s)
	return s, err
}

func utcSession(s *catalog.Session) {
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
}

func scanEnrollment(r pgx.Row) (catalog.Enrollment, error) {
	var e catalog.Enrollment
	err := r.Scan(&e.CourseID, &e.UserID, &e.Role, &e.CreatedAt)
	e.CreatedAt = e.CreatedAt.UTC()
	return e, err
}

// getOne reads the single row of a query by id; ErrNotFound if none.
func getOne[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error), kind, id string) (T, error) {
	var zero T
	if err != nil {
		return zero, fmt.Errorf("failed to read %s %q: %w", kind, id, err)
	}
	v, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, fmt.Errorf("%s %q %w", kind, id, catalog.ErrNotFound)
	}
	if err != nil {
		return zero, fmt.Errorf("failed to read %s %q: %w", kind, id, err)
	}
	return v, nil
}

// list reads every row of a query.
func list[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error), what string) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", what, err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// optTime is t as a nullable timestamptz: nil for the zero time.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// fromOpt is a scanned nullable timestamptz in UTC; NULL is the zero time.
func fromOpt(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
