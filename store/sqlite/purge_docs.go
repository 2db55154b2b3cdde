package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
)

// Document returns the session's stored document and the changes
// appended to it.
func (p purgeTx) Document(ctx context.Context, session string) (doc []byte, last int64, found bool, err error) {
	err = p.tx.QueryRowContext(ctx, `SELECT doc FROM session_documents WHERE session_id = ?`, session).Scan(&doc)
	found = err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, false, err
	}
	rows, err := p.tx.QueryContext(ctx, `SELECT id, chunks FROM session_changes WHERE session_id = ? ORDER BY id`, session)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var chunks []byte
		if err := rows.Scan(&last, &chunks); err != nil {
			return nil, 0, false, err
		}
		doc, found = append(doc, chunks...), true
	}
	return doc, last, found, rows.Err()
}

// ReplaceDocument saves doc as the session's document and deletes its
// changes up to last.
func (p purgeTx) ReplaceDocument(ctx context.Context, session string, doc []byte, last int64) error {
	if _, err := p.tx.ExecContext(ctx, `INSERT INTO session_documents (session_id, doc, size, saved_at)
		VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (session_id) DO UPDATE SET doc = ?2, size = ?3, saved_at = ?4`,
		session, doc, len(doc), usec(p.s.nowUTC())); err != nil {
		return err
	}
	_, err := p.tx.ExecContext(ctx, `DELETE FROM session_changes WHERE session_id = ? AND id <= ?`, session, last)
	return err
}

// Snapshots returns the snapshots whose state holds user, but those of
// the sessions of skip.
func (p purgeTx) Snapshots(ctx context.Context, user string, skip []string) ([]sqlpurge.Snapshot, error) {
	list, err := jsonText(skip)
	if err != nil {
		return nil, err
	}
	rows, err := p.tx.QueryContext(ctx, `SELECT id, session_id, state FROM session_snapshots
		WHERE instr(state, ?) > 0 AND session_id NOT IN (SELECT value FROM json_each(?))`, user, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []sqlpurge.Snapshot
	for rows.Next() {
		var sn sqlpurge.Snapshot
		var state string // a TEXT column
		if err := rows.Scan(&sn.ID, &sn.Session, &state); err != nil {
			return nil, err
		}
		sn.State = []byte(state)
		found = append(found, sn)
	}
	return found, rows.Err()
}

// ReplaceSnapshot sets the state of snapshot id.
func (p purgeTx) ReplaceSnapshot(ctx context.Context, id int64, state []byte) error {
	_, err := p.tx.ExecContext(ctx, `UPDATE session_snapshots SET state = ? WHERE id = ?`, string(state), id)
	return err
}
