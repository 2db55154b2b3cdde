package store

import (
	"context"
	"slices"
	"sync"

	"github.com/homeroom-edu/homeroom/crdt"
)

// Memory keeps documents and the records of activities in process memory:
// they outlive a session's unloading, not the process. Safe for concurrent
// use; the zero value is ready.
type Memory struct {
	mu        sync.Mutex
	docs      map[string][]byte
	changes   map[string][]byte // appended since the document was saved
	snapshots map[string]crdt.Snapshot

	act memoryActivities // under its own lock: memory_activities.go
}

// NewMemory returns an empty memory store.
func NewMemory() *Memory { return &Memory{} }

// LoadDoc returns a copy of the saved document followed by the changes
// appended since, or nil if there is neither.
func (m *Memory) LoadDoc(_ context.Context, session string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	doc, saved := m.docs[session]
	changes, appended := m.changes[session]
	if !saved && !appended {
		return nil, nil
	}
	return append(slices.Clone(doc), changes...), nil
}

// AppendChanges keeps a copy of change chunks made since the last SaveDoc.
func (m *Memory) AppendChanges(_ context.Context, session string, chunks []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.changes == nil {
		m.changes = make(map[string][]byte)
	}
	m.changes[session] = append(m.changes[session], chunks...)
	return nil
}

// SaveDoc stores a copy of doc as the session's document and drops the
// changes appended before.
func (m *Memory) SaveDoc(_ context.Context, session string, doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.docs == nil {
		m.docs = make(map[string][]byte)
	}
	if doc == nil {
		doc = []byte{}
	}
	m.docs[session] = slices.Clone(doc)
	delete(m.changes, session)
	return nil
}
