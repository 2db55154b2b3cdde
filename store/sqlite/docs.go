package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LoadDoc implements rooms.DocStore: the session's saved document followed
// by the changes appended since, or nil if it has neither.
func (s *Store) LoadDoc(ctx context.Context, session string) ([]byte, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM session_documents WHERE session_id = ?`, session).Scan(&doc)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("failed to load document of session %q: %w", session, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT chunks FROM session_changes WHERE session_id = ? ORDER BY id`, session)
	if err != nil {
		return nil, fmt.Errorf("failed to load changes of session %q: %w", session, err)
	}
	defer rows.Close()
	for rows.Next() {
		var chunks []byte
		if err := rows.Scan(&chunks); err != nil {
			return nil, fmt.Errorf("failed to load changes of session %q: %w", session, err)
		}
		doc, found = append(doc, chunks...), true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to load changes of session %q: %w", session, err)
	}
	if !found {
		return nil, nil
	}
	if doc == nil {
		doc = []byte{} // a saved empty document is not "none"
	}
	return doc, nil
}

// SaveDoc implements rooms.DocStore: it replaces the session's document and
// drops the changes appended before, in one transaction.
func (s *Store) SaveDoc(ctx context.Context, session string, doc []byte) error {
	if doc == nil {
		doc = []byte{}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to save document of session %q: %w", session, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO session_documents (session_id, doc, size, saved_at)
		VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (session_id) DO UPDATE SET doc = ?2, size = ?3, saved_at = ?4`,
		session, doc, len(doc), usec(s.nowUTC())); err != nil {
		return fmt.Errorf("failed to save document of session %q: %w", session, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM session_changes WHERE session_id = ?`, session); err != nil {
		return fmt.Errorf("failed to save document of session %q: %w", session, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("failed to save document of session %q: %w", session, err)
	}
	return nil
}

// AppendChanges implements rooms.DocStore: it keeps change chunks made
// since the last SaveDoc.
func (s *Store) AppendChanges(ctx context.Context, session string, chunks []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO session_changes (session_id, chunks, appended_at) VALUES (?, ?, ?)`,
		session, chunks, usec(s.nowUTC()))
	if err != nil {
		return fmt.Errorf("failed to append changes of session %q: %w", session, err)
	}
	return nil
}
