package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/jackc/pgx/v5"
)

// SaveSnapshot implements crdt.SnapshotStore.
func (s *Store) SaveSnapshot(ctx context.Context, snap crdt.Snapshot) error {
	heads, err := json.Marshal(snap.Heads)
	if err != nil {
		return fmt.Errorf("failed to save snapshot of session %q: %w", snap.Session, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO session_snapshots (session_id, taken_at, heads, size, state)
		VALUES ($1, $2, $3, $4, $5)`, snap.Session, catalog.StoredTime(snap.TakenAt), heads, snap.Size, snap.State)
	if err != nil {
		return fmt.Errorf("failed to save snapshot of session %q: %w", snap.Session, err)
	}
	return nil
}

// LatestSnapshot implements crdt.SnapshotStore.
func (s *Store) LatestSnapshot(ctx context.Context, session string) (crdt.Snapshot, bool, error) {
	snap := crdt.Snapshot{Session: session}
	var heads []byte
	err := s.pool.QueryRow(ctx, `SELECT taken_at, heads, size, state FROM latest_session_snapshots WHERE session_id = $1`,
		session).Scan(&snap.TakenAt, &heads, &snap.Size, &snap.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return crdt.Snapshot{}, false, nil
	}
	if err == nil {
		err = json.Unmarshal(heads, &snap.Heads)
	}
	if err != nil {
		return crdt.Snapshot{}, false, fmt.Errorf("failed to read snapshot of session %q: %w", session, err)
	}
	snap.TakenAt = snap.TakenAt.UTC()
	return snap, true, nil
}
