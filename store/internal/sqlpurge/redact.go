package sqlpurge

import (
	"context"
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// redactDocument rewrites the session's stored document, and folds in the
// changes appended to it, if it mentions user; it reports whether it did
// (or, for a dry run, would).
func redactDocument(ctx context.Context, db DB, session, user, pseudonym string, dry bool) (bool, error) {
	var changed bool
	err := inTx(ctx, db, dry, func(tx Tx) error {
		changed = false
		doc, last, found, err := tx.Document(ctx, session)
		if err != nil || !found {
			return err
		}
		out, ok, err := privacy.RedactSaved(doc, user, pseudonym, dry)
		if err != nil || !ok || dry {
			changed = ok
			return err
		}
		changed = true
		// Changes appended after the read (a node holding the session
		// live) stay; see docs/privacy.md.
		return tx.ReplaceDocument(ctx, session, out, last)
	})
	if err != nil {
		return false, fmt.Errorf("failed to redact the document of session %q: %w", session, err)
	}
	return changed, nil
}

// redactSnapshots rewrites every snapshot whose state mentions user, but
// those of the sessions of skip, and returns how many it rewrote (or, for
// a dry run, would) and their sessions.
func redactSnapshots(ctx context.Context, db DB, user, pseudonym string, skip []string, dry bool) (n int, sessions []string, err error) {
	err = inTx(ctx, db, dry, func(tx Tx) error {
		n, sessions = 0, nil
		found, err := tx.Snapshots(ctx, user, skip)
		if err != nil {
			return err
		}
		for _, sn := range found {
			out, changed, err := crdt.RedactSnapshotJSON(sn.State, user, pseudonym)
			if err != nil {
				return fmt.Errorf("snapshot %d: %w", sn.ID, err)
			}
			if !changed {
				continue
			}
			n++
			sessions = append(sessions, sn.Session)
			if err := tx.ReplaceSnapshot(ctx, sn.ID, out); err != nil {
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
