package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// PutSession implements catalog.Catalog.
func (s *Store) PutSession(ctx context.Context, ses catalog.Session) (catalog.Session, error) {
	ses.StartsAt, ses.EndsAt = catalog.StoredTime(ses.StartsAt), catalog.StoredTime(ses.EndsAt)
	if err := ses.Validate(); err != nil {
		return catalog.Session{}, err
	}
	settings, err := jsonText(ses.Settings)
	if err != nil {
		return catalog.Session{}, fmt.Errorf("failed to encode settings of session %q: %w", ses.ID, err)
	}
	video, err := jsonText(ses.Video)
	if err != nil {
		return catalog.Session{}, fmt.Errorf("failed to encode video of session %q: %w", ses.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) (*catalog.Event, error) {
		ok, err := exists(ctx, tx, "courses", ses.CourseID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: course %q does not exist", catalog.ErrConflict, ses.CourseID)
		}
		var pc, pu time.Time
		var prevState catalog.State
		err = tx.QueryRowContext(ctx, `SELECT created_at, updated_at, state FROM sessions WHERE id = ?`, ses.ID).
			Scan(timeCol{&pc}, timeCol{&pu}, &prevState)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("failed to read session %q: %w", ses.ID, err)
		}
		ses.CreatedAt, ses.UpdatedAt, err = catalog.Stamp(s.nowUTC(), "session", ses.ID, ses.UpdatedAt, pc, pu, found)
		if err != nil {
			return nil, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionCols+`)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
			ON CONFLICT (id) DO UPDATE SET course_id = ?2, title = ?3, starts_at = ?4, ends_at = ?5,
				state = ?6, settings = ?7, video = ?8, updated_at = ?10`,
			ses.ID, ses.CourseID, ses.Title, usec(ses.StartsAt), usec(ses.EndsAt), ses.State, settings, video,
			usec(ses.CreatedAt), usec(ses.UpdatedAt))
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
	r := s.db.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = ?`, id)
	return getOne(r, scanSession, "session", id)
}

// ListSessions implements catalog.Catalog.
func (s *Store) ListSessions(ctx context.Context, courseID string, p catalog.Page) ([]catalog.Session, error) {
	if courseID == "" {
		rows, err := s.db.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
			WHERE id > ? ORDER BY id LIMIT ?`, p.After, p.Size())
		return list(rows, err, scanSession, "sessions")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE course_id = ? AND id > ? ORDER BY id LIMIT ?`, courseID, p.After, p.Size())
	return list(rows, err, scanSession, "sessions")
}
