package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// PutEnrollment implements catalog.Catalog.
func (s *Store) PutEnrollment(ctx context.Context, e catalog.Enrollment) (catalog.Enrollment, error) {
	if err := e.Validate(); err != nil {
		return catalog.Enrollment{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) (*catalog.Event, error) {
		err := tx.QueryRow(ctx, `INSERT INTO enrollments (course_id, user_id, role, created_at)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (course_id, user_id) DO UPDATE SET role = $3
			RETURNING created_at`,
			e.CourseID, e.UserID, e.Role, s.nowUTC()).Scan(&e.CreatedAt)
		if isCode(err, codeForeignKey) {
			return nil, fmt.Errorf("%w: course %q does not exist", catalog.ErrConflict, e.CourseID)
		}
		if err != nil {
			return nil, fmt.Errorf("failed to write enrollment of user %q in course %q: %w", e.UserID, e.CourseID, err)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		return &catalog.Event{Kind: catalog.EnrollmentChanged, CourseID: e.CourseID, UserID: e.UserID}, nil
	})
	if err != nil {
		return catalog.Enrollment{}, err
	}
	return e, nil
}

// GetEnrollment implements catalog.Catalog.
func (s *Store) GetEnrollment(ctx context.Context, courseID, userID string) (catalog.Enrollment, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+enrollmentCols+` FROM enrollments
		WHERE course_id = $1 AND user_id = $2`, courseID, userID)
	return getOne(rows, err, scanEnrollment, "enrollment of user "+userID+" in course", courseID)
}

// DeleteEnrollment implements catalog.Catalog.
func (s *Store) DeleteEnrollment(ctx context.Context, courseID, userID string) error {
	return s.inTx(ctx, func(tx pgx.Tx) (*catalog.Event, error) {
		tag, err := tx.Exec(ctx, `DELETE FROM enrollments WHERE course_id = $1 AND user_id = $2`, courseID, userID)
		if err != nil {
			return nil, fmt.Errorf("failed to delete enrollment of user %q in course %q: %w", userID, courseID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil, fmt.Errorf("enrollment of user %q in course %q %w", userID, courseID, catalog.ErrNotFound)
		}
		return &catalog.Event{Kind: catalog.EnrollmentRemoved, CourseID: courseID, UserID: userID}, nil
	})
}

// ListEnrollments implements catalog.Catalog.
func (s *Store) ListEnrollments(ctx context.Context, courseID string, p catalog.Page) ([]catalog.Enrollment, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+enrollmentCols+` FROM enrollments
		WHERE course_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`, courseID, p.After, p.Size())
	return list(rows, err, scanEnrollment, "enrollments")
}

// Admission implements catalog.Catalog in one query.
func (s *Store) Admission(ctx context.Context, sessionID, userID string) (catalog.Admission, error) {
	var a catalog.Admission
	ses, co := &a.Session, &a.Course
	err := s.pool.QueryRow(ctx, `SELECT
			s.id, s.course_id, s.title, s.starts_at, s.ends_at, s.state, s.settings, s.video, s.created_at, s.updated_at,
			c.id, c.institution_id, c.name, c.created_at, c.updated_at,
			coalesce(e.role, '')
		FROM sessions s
		JOIN courses c ON c.id = s.course_id
		LEFT JOIN enrollments e ON e.course_id = s.course_id AND e.user_id = $2
		WHERE s.id = $1`, sessionID, userID).Scan(
		&ses.ID, &ses.CourseID, &ses.Title, &ses.StartsAt, &ses.EndsAt, &ses.State, &ses.Settings, &ses.Video,
		&ses.CreatedAt, &ses.UpdatedAt,
		&co.ID, &co.InstitutionID, &co.Name, &co.CreatedAt, &co.UpdatedAt,
		&a.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return catalog.Admission{}, fmt.Errorf("session %q %w", sessionID, catalog.ErrNotFound)
	}
	if err != nil {
		return catalog.Admission{}, fmt.Errorf("failed to read admission of user %q to session %q: %w", userID, sessionID, err)
	}
	utcSession(ses)
	co.CreatedAt, co.UpdatedAt = co.CreatedAt.UTC(), co.UpdatedAt.UTC()
	if a.Role == "" {
		return a, fmt.Errorf("user %q in course %q: %w", userID, ses.CourseID, catalog.ErrNotEnrolled)
	}
	return a, nil
}
