package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Column lists, in the order the scan functions read them.
const (
	institutionCols = `id, name, retention_days, ballot_links, created_at, updated_at`
	courseCols      = `id, institution_id, name, created_at, updated_at`
	sessionCols     = `id, course_id, title, starts_at, ends_at, state, settings, video, created_at, updated_at`
	enrollmentCols  = `course_id, user_id, role, created_at`
)

// usec is how a time is stored: microseconds since the Unix epoch.
func usec(t time.Time) int64 { return t.UnixMicro() }

// timeCol scans a usec column into a UTC time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("failed to scan time: got %T, want int64", src)
	}
	*c.t = time.UnixMicro(v).UTC()
	return nil
}

// optUsec is t as a nullable time column: NULL for the zero time.
func optUsec(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return usec(t)
}

// optTimeCol scans a nullable usec column; NULL is the zero time.
type optTimeCol struct{ t *time.Time }

func (c optTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = time.Time{}
		return nil
	}
	return timeCol(c).Scan(src)
}

// jsonCol scans a JSON text column into v.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	switch b := src.(type) {
	case string:
		return json.Unmarshal([]byte(b), c.v)
	case []byte:
		return json.Unmarshal(b, c.v)
	}
	return fmt.Errorf("failed to scan json: got %T", src)
}

// jsonText is v as JSON text for a column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// row is what *sql.Row and *sql.Rows have in common.
type row interface{ Scan(dest ...any) error }

func scanInstitution(r row) (catalog.Institution, error) {
	var in catalog.Institution
	err := r.Scan(&in.ID, &in.Name, &in.RetentionDays, &in.BallotLinks, timeCol{&in.CreatedAt}, timeCol{&in.UpdatedAt})
	return in, err
}

func scanCourse(r row) (catalog.Course, error) {
	var c catalog.Course
	err := r.Scan(&c.ID, &c.InstitutionID, &c.Name, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}

func sessionDest(s *catalog.Session) []any {
	return []any{&s.ID, &s.CourseID, &s.Title, timeCol{&s.StartsAt}, timeCol{&s.EndsAt}, &s.State,
		jsonCol{&s.Settings}, jsonCol{&s.Video}, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}}
}

func scanSession(r row) (catalog.Session, error) {
	var s catalog.Session
	err := r.Scan(sessionDest(&s)...)
	return s, err
}

func scanEnrollment(r row) (catalog.Enrollment, error) {
	var e catalog.Enrollment
	err := r.Scan(&e.CourseID, &e.UserID, &e.Role, timeCol{&e.CreatedAt})
	return e, err
}

// getOne reads the single row of a query by id; ErrNotFound if none.
func getOne[T any](r *sql.Row, scan func(row) (T, error), kind, id string) (T, error) {
	v, err := scan(r)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("%s %q %w", kind, id, catalog.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("failed to read %s %q: %w", kind, id, err)
	}
	return v, nil
}

// list reads every row of a query.
func list[T any](rows *sql.Rows, err error, scan func(row) (T, error), what string) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("failed to list %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", what, err)
	}
	return out, nil
}
