package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// lockTimes reads a record's CreatedAt and UpdatedAt, locking its row
// until the transaction ends. table is one of the catalog's tables.
func lockTimes(ctx context.Context, tx pgx.Tx, table, id string) (created, updated time.Time, exists bool, err error) {
	err = tx.QueryRow(ctx, "SELECT created_at, updated_at FROM "+table+" WHERE id = $1 FOR UPDATE", id).Scan(&created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("failed to read %s %q: %w", table, id, err)
	}
	return created.UTC(), updated.UTC(), true, nil
}

// exists reports whether table holds a row with id.
func exists(ctx context.Context, q pgx.Tx, table, id string) (bool, error) {
	var ok bool
	if err := q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&ok); err != nil {
		return false, fmt.Errorf("failed to look up %s %q: %w", table, id, err)
	}
	return ok, nil
}

// writeErr maps a failed INSERT or UPDATE: a duplicate id or a missing
// parent (a concurrent write the checks before it did not see) is a
// conflict.
func writeErr(kind, id string, err error) error {
	if isCode(err, codeUnique) || isCode(err, codeForeignKey) {
		return fmt.Errorf("%w: %s %q: %w", catalog.ErrConflict, kind, id, err)
	}
	return fmt.Errorf("failed to write %s %q: %w", kind, id, err)
}

// PutInstitution implements catalog.Catalog.
func (s *Store) PutInstitution(ctx context.Context, in catalog.Institution) (catalog.Institution, error) {
	if err := in.Validate(); err != nil {
		return catalog.Institution{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) (*catalog.Event, error) {
		pc, pu, ok, err := lockTimes(ctx, tx, "institutions", in.ID)
		if err != nil {
			return nil, err
		}
		in.CreatedAt, in.UpdatedAt, err = catalog.Stamp(s.nowUTC(), "institution", in.ID, in.UpdatedAt, pc, pu, ok)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO institutions (id, name, retention_days, ballot_links, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET name = $2, retention_days = $3, ballot_links = $4, updated_at = $6`,
			in.ID, in.Name, in.RetentionDays, in.BallotLinks, in.CreatedAt, in.UpdatedAt)
		if err != nil {
			return nil, writeErr("institution", in.ID, err)
		}
		return nil, nil
	})
	if err != nil {
		return catalog.Institution{}, err
	}
	return in, nil
}

// GetInstitution implements catalog.Catalog.
func (s *Store) GetInstitution(ctx context.Context, id string) (catalog.Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+institutionCols+` FROM institutions WHERE id = $1`, id)
	return getOne(rows, err, scanInstitution, "institution", id)
}

// ListInstitutions implements catalog.Catalog.
func (s *Store) ListInstitutions(ctx context.Context, p catalog.Page) ([]catalog.Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+institutionCols+` FROM institutions
		WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Size())
	return list(rows, err, scanInstitution, "institutions")
}

// PutCourse implements catalog.Catalog.
func (s *Store) PutCourse(ctx context.Context, c catalog.Course) (catalog.Course, error) {
	if err := c.Validate(); err != nil {
		return catalog.Course{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) (*catalog.Event, error) {
		ok, err := exists(ctx, tx, "institutions", c.InstitutionID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: institution %q does not exist", catalog.ErrConflict, c.InstitutionID)
		}
		pc, pu, ok, err := lockTimes(ctx, tx, "courses", c.ID)
		if err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt, err = catalog.Stamp(s.nowUTC(), "course", c.ID, c.UpdatedAt, pc, pu, ok)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO courses (id, institution_id, name, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET institution_id = $2, name = $3, updated_at = $5`,
			c.ID, c.InstitutionID, c.Name, c.CreatedAt, c.UpdatedAt)
		if err != nil {
			return nil, writeErr("course", c.ID, err)
		}
		return nil, nil
	})
	if err != nil {
		return catalog.Course{}, err
	}
	return c, nil
}

// GetCourse implements catalog.Catalog.
func (s *Store) GetCourse(ctx context.Context, id string) (catalog.Course, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+courseCols+` FROM courses WHERE id = $1`, id)
	return getOne(rows, err, scanCourse, "course", id)
}

// ListCourses implements catalog.Catalog.
func (s *Store) ListCourses(ctx context.Context, institutionID string, p catalog.Page) ([]catalog.Course, error) {
	if institutionID == "" {
		rows, err := s.pool.Query(ctx, `SELECT `+courseCols+` FROM courses
			WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Size())
		return list(rows, err, scanCourse, "courses")
	}
	rows, err := s.pool.Query(ctx, `SELECT `+courseCols+` FROM courses
		WHERE institution_id = $1 AND id > $2 ORDER BY id LIMIT $3`, institutionID, p.After, p.Size())
	return list(rows, err, scanCourse, "courses")
}
