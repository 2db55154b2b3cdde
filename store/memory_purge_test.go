package store

import (
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/storetest"
)

func TestMemoryPurge(t *testing.T) {
	storetest.RunPurge(t, newMemoryPurgeSubject)
}

func TestMemoryPurgeSessions(t *testing.T) {
	storetest.RunPurgeSessions(t, newMemoryPurgeSubject)
}

// newMemoryPurgeSubject is a memory store and a memory catalog, purged
// together.
func newMemoryPurgeSubject(t *testing.T) storetest.PurgeSubject {
	m, cat := NewMemory(), catalog.NewMemory()
	p := MemoryPurge{Store: m, Catalog: cat}
	return storetest.PurgeSubject{Catalog: cat, Audit: cat, Docs: m, Snapshots: m, Activities: m, Users: p, Sessions: p}
}
