package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// write runs fn in an IMMEDIATE transaction (the database's write lock,
// taken at BEGIN) and commits it.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("failed to commit: %w", err)
	}
	return nil
}

// execEach runs query once per element of items in one transaction,
// prepared once; args gives the arguments of an element.
func execEach[T any](ctx context.Context, s *Store, query string, items []T, args func(T) []any) error {
	if len(items) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, it := range items {
			if _, err := stmt.ExecContext(ctx, args(it)...); err != nil {
				return err
			}
		}
		return nil
	})
}
