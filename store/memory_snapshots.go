package store

import (
	"context"
	"slices"

	"github.com/homeroom-edu/homeroom/crdt"
)

// SaveSnapshot keeps a copy of the snapshot; only the newest per session
// is kept in memory.
func (m *Memory) SaveSnapshot(_ context.Context, s crdt.Snapshot) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snapshots == nil {
		m.snapshots = make(map[string]crdt.Snapshot)
	}
	s.Heads, s.State = slices.Clone(s.Heads), slices.Clone(s.State)
	m.snapshots[s.Session] = s
	return nil
}

// LatestSnapshot returns the newest snapshot of a session.
func (m *Memory) LatestSnapshot(_ context.Context, session string) (crdt.Snapshot, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.snapshots[session]
	return s, ok, nil
}
