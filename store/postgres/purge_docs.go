package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
)

// Document returns the session's stored document and the changes
// appended to it, the document row locked until the transaction ends.
func (p purgeTx) Document(ctx context.Context, session string) (doc []byte, last int64, found bool, err error) {
	err = p.tx.QueryRow(ctx, `SELECT doc FROM session_documents WHERE session_id = $1 FOR UPDATE`, session).Scan(&doc)
	found = err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, false, err
	}
	rows, err := p.tx.Query(ctx, `SELECT id, chunks FROM session_changes WHERE session_id = $1 ORDER BY id`, session)
	if err != nil {
		return nil, 0, false, err
	}
	var chunks []byte
	_, err = pgx.ForEachRow(rows, []any{&last, &chunks}, func() error {
		doc, found = append(doc, chunks...), true
		return nil
	})
	return doc, last, found, err
}

// ReplaceDocument saves doc as the session's document and deletes its
// changes up to last.
func (p purgeTx) ReplaceDocument(ctx context.Context, session string, doc []byte, last int64) error {
	if _, err := p.tx.Exec(ctx, `INSERT INTO session_documents (session_id, doc, size, saved_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (session_id) DO UPDATE SET doc = $2, size = $3, saved_at = $4`,
		session, doc, len(doc), p.s.nowUTC()); err != nil {
		return err
	}
	_, err := p.tx.Exec(ctx, `DELETE FROM session_changes WHERE session_id = $1 AND id <= $2`, session, last)
	return err
}

// Snapshots returns, locked, the snapshots whose state holds user, but
// those of the sessions of skip.
func (p purgeTx) Snapshots(ctx context.Context, user string, skip []string) ([]sqlpurge.Snapshot, error) {
	rows, err := p.tx.Query(ctx, `SELECT id, session_id, state FROM session_snapshots
		WHERE strpos(state::text, $1) > 0 AND NOT (session_id = ANY($2)) FOR UPDATE`, user, skip)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (sqlpurge.Snapshot, error) {
		var sn sqlpurge.Snapshot
		return sn, r.Scan(&sn.ID, &sn.Session, &sn.State)
	})
}

// ReplaceSnapshot sets the state of snapshot id.
func (p purgeTx) ReplaceSnapshot(ctx context.Context, id int64, state []byte) error {
	_, err := p.tx.Exec(ctx, `UPDATE session_snapshots SET state = $1 WHERE id = $2`, state, id)
	return err
}
