package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// PutSession implements catalog.Catalog.
func (s *Store) PutSession(ctx context.Context, ses catalog.Session) (catalog.Session, error) {
	ses.StartsAt, ses.EndsAt = catalog.StoredTime(ses.StartsAt), catalog.StoredTime(ses.EndsAt)
	if err := ses.Validate(); err != nil {
		return catalog.Session{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) (*catalog.Event, error) {
		ok, err := exists(ctx, tx, "courses", ses.CourseID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: course %q does not exist", catalog.ErrConflict, ses.CourseID)
		}
		var pc, pu time.Time
		var prevState catalog.State
		err = tx.QueryRow(ctx, `SELECT created_at, updated_at, state FROM sessions WHERE id = $1 FOR UPDATE`, ses.ID).
			Scan(&pc, &pu, &prevState)
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("failed to read session %q: %w", ses.ID, err)
		}
		ses.CreatedAt, ses.UpdatedAt, err = catalog.Stamp(s.nowUTC(), "session", ses.ID, ses.UpdatedAt, pc.UTC(), pu.UTC(), found)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO sessions (`+sessionCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (id) DO UPDATE SET course_id = $2, title = $3, starts_at = $4, ends_at = $5,
				state = $6, settings = $7, video = $8, updated_at = $10`,
			ses.ID, ses.CourseID, ses.Title, ses.StartsAt, ses.EndsAt, ses.State, ses.Settings, ses.Video,
			ses.CreatedAt, ses.UpdatedAt)
		if err != nil {
			return nil, writeErr("session", ses.ID, err)
		}
		kind := catalog.SessionChanged
		if ses.State == catalog.StateEnded && (!found || prevState != catalog.StateEnded) {
			kind = catalog.SessionEnded
		}
		return &catalog.Event{Kind: kind, CourseID: ses.CourseID, SessionID: ses.ID}, nil
	})
	if err != nil {
		return catalog.Session{}, err
	}
	return ses, nil
}

// GetSession implements catalog.Catalog.
func (s *Store) GetSession(ctx context.Context, id string) (catalog.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = $1`, id)
	return getOne(rows, err, scanSession, "session", id)
}

// ListSessions implements catalog.Catalog.
func (s *Store) ListSessions(ctx context.Context, courseID string, p catalog.Page) ([]catalog.Session, error) {
	if courseID == "" {
		rows, err := s.pool.Query(ctx, `SELECT `+sessionCols+` FROM sessions
			WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Size())
		return list(rows, err, scanSession, "sessions")
	}
	rows, err := s.pool.Query(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE course_id = $1 AND id > $2 ORDER BY id LIMIT $3`, courseID, p.After, p.Size())
	return list(rows, err, scanSession, "sessions")
}
