package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LoadDoc implements rooms.DocStore: the session's saved document, or nil
// if it has none.
func (s *Store) LoadDoc(ctx context.Context, session string) ([]byte, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM session_documents WHERE session_id = ?`, session).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to load document of session %q: %w", session, err)
	}
	if doc == nil {
		doc = []byte{} // a saved empty document is not "none"
	}
	return doc, nil
}

// SaveDoc implements rooms.DocStore: it replaces the session's document.
func (s *Store) SaveDoc(ctx context.Context, session string, doc []byte) error {
	if doc == nil {
		doc = []byte{}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO session_documents (session_id, doc, size, saved_at)
		VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (session_id) DO UPDATE SET doc = ?2, size = ?3, saved_at = ?4`,
		session, doc, len(doc), usec(s.nowUTC()))
	if err != nil {
		return fmt.Errorf("failed to save document of session %q: %w", session, err)
	}
	return nil
}
