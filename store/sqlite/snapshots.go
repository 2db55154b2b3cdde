package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// SaveSnapshot implements crdt.SnapshotStore.
func (s *Store) SaveSnapshot(ctx context.Context, snap crdt.Snapshot) error {
	heads, err := json.Marshal(snap.Heads)
	if err != nil {
		return fmt.Errorf("failed to save snapshot of session %q: %w", snap.Session, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO session_snapshots (session_id, taken_at, heads, size, state)
		VALUES (?, ?, ?, ?, ?)`, snap.Session, usec(catalog.StoredTime(snap.TakenAt)), string(heads), snap.Size, string(snap.State))
	if err != nil {
		return fmt.Errorf("failed to save snapshot of session %q: %w", snap.Session, err)
	}
	return nil
}

// LatestSnapshot implements crdt.SnapshotStore.
func (s *Store) LatestSnapshot(ctx context.Context, session string) (crdt.Snapshot, bool, error) {
	snap := crdt.Snapshot{Session: session}
	var heads, state string
	err := s.db.QueryRowContext(ctx, `SELECT taken_at, heads, size, state FROM latest_session_snapshots WHERE session_id = ?`,
		session).Scan(timeCol{&snap.TakenAt}, &heads, &snap.Size, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return crdt.Snapshot{}, false, nil
	}
	if err == nil {
		err = json.Unmarshal([]byte(heads), &snap.Heads)
	}
	if err != nil {
		return crdt.Snapshot{}, false, fmt.Errorf("failed to read snapshot of session %q: %w", session, err)
	}
	snap.State = []byte(state)
	return snap, true, nil
}
