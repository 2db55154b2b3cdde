package store

import (
	"context"
	"slices"
	"sync"
)

// Memory keeps documents in process memory: they outlive a session's
// unloading, not the process. Safe for concurrent use; the zero value is
// ready.
type Memory struct {
	mu   sync.Mutex
	docs map[string][]byte
}

// NewMemory returns an empty memory store.
func NewMemory() *Memory { return &Memory{} }

// LoadDoc returns a copy of the saved document, or nil if there is none.
func (m *Memory) LoadDoc(_ context.Context, session string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.docs[session]), nil
}

// SaveDoc stores a copy of doc as the session's document.
func (m *Memory) SaveDoc(_ context.Context, session string, doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.docs == nil {
		m.docs = make(map[string][]byte)
	}
	m.docs[session] = slices.Clone(doc)
	return nil
}
