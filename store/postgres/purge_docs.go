package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// redactDoc rewrites the session's stored document, and folds in the
// changes appended to it, if it mentions user; it reports whether it did
// (or, for a dry run, would). The document row is locked while it is
// rewritten.
func (s *Store) redactDoc(ctx context.Context, session, user, pseudonym string, dry bool) (bool, error) {
	var changed bool
	err := s.purgeTx(ctx, dry, func(tx pgx.Tx) error {
		changed = false
		var doc []byte
		err := tx.QueryRow(ctx, `SELECT doc FROM session_documents WHERE session_id = $1 FOR UPDATE`, session).Scan(&doc)
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var last int64
		rows, err := tx.Query(ctx, `SELECT id, chunks FROM session_changes WHERE session_id = $1 ORDER BY id`, session)
		if err != nil {
			return err
		}
		for rows.Next() {
			var chunks []byte
			if err := rows.Scan(&last, &chunks); err != nil {
				rows.Close()
				return err
			}
			doc, found = append(doc, chunks...), true
		}
		rows.Close()
		if err := rows.Err(); err != nil || !found {
			return err
		}
		out, ok, err := privacy.RedactSaved(doc, user, pseudonym, dry)
		if err != nil || !ok || dry {
			changed = ok
			return err
		}
		changed = true
		if _, err := tx.Exec(ctx, `INSERT INTO session_documents (session_id, doc, size, saved_at)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (session_id) DO UPDATE SET doc = $2, size = $3, saved_at = $4`,
			session, out, len(out), s.nowUTC()); err != nil {
			return err
		}
		// Changes appended after the read (a node holding the session
		// live) stay; see docs/privacy.md.
		_, err = tx.Exec(ctx, `DELETE FROM session_changes WHERE session_id = $1 AND id <= $2`, session, last)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("failed to redact the document of session %q: %w", session, err)
	}
	return changed, nil
}

// redactSnapshots rewrites every snapshot whose state mentions user and
// returns how many it rewrote (or, for a dry run, would) and their
// sessions.
// The snapshots of the sessions of skip are left alone.
func (s *Store) redactSnapshots(ctx context.Context, user, pseudonym string, skip []string, dry bool) (n int, sessions []string, err error) {
	err = s.purgeTx(ctx, dry, func(tx pgx.Tx) error {
		n, sessions = 0, nil
		type snap struct {
			id      int64
			session string
			state   []byte
		}
		rows, err := tx.Query(ctx, `SELECT id, session_id, state FROM session_snapshots
			WHERE strpos(state::text, $1) > 0 AND NOT (session_id = ANY($2)) FOR UPDATE`, user, skip)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (snap, error) {
			var sn snap
			return sn, r.Scan(&sn.id, &sn.session, &sn.state)
		})
		if err != nil {
			return err
		}
		for _, sn := range found {
			out, changed, err := crdt.RedactSnapshotJSON(sn.state, user, pseudonym)
			if err != nil {
				return fmt.Errorf("snapshot %d: %w", sn.id, err)
			}
			if !changed {
				continue
			}
			n++
			sessions = append(sessions, sn.session)
			if _, err := tx.Exec(ctx, `UPDATE session_snapshots SET state = $1 WHERE id = $2`, out, sn.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("failed to redact snapshots: %w", err)
	}
	return n, sessions, nil
}
