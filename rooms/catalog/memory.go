package catalog

import (
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"
)

// MemoryConfig tunes a Memory. The zero value is usable.
type MemoryConfig struct {
	// EventBuffer is each subscriber's channel capacity; a subscriber
	// that lets it fill loses events and gets a Resync. Default 1024.
	EventBuffer int
	// AuditEntries is how many audit entries are kept; the oldest are
	// dropped first. Default 100000 (about 30 MB at typical sizes).
	AuditEntries int
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

func (c MemoryConfig) withDefaults() MemoryConfig {
	if c.EventBuffer <= 0 {
		c.EventBuffer = 1024
	}
	if c.AuditEntries <= 0 {
		c.AuditEntries = 100_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Memory is a Catalog and an AuditLog in process memory: the room model
// survives nothing but lives as long as the process. Reads (Admission,
// Get, List) share a read lock and Admission is three map lookups, so a
// join storm does not queue behind itself. Safe for concurrent use; create
// it with NewMemory.
type Memory struct {
	cfg MemoryConfig

	mu               sync.RWMutex
	institutions     map[string]Institution
	courses          map[string]Course
	coursesByInst    map[string]map[string]struct{}
	sessions         map[string]Session
	sessionsByCourse map[string]map[string]struct{}
	enrollments      map[string]map[string]Enrollment // course → user → enrollment

	hub   *Hub
	audit auditRing
}

// NewMemory returns an empty memory catalog with the default MemoryConfig.
func NewMemory() *Memory { return NewMemoryWith(MemoryConfig{}) }

// NewMemoryWith returns an empty memory catalog tuned by cfg.
func NewMemoryWith(cfg MemoryConfig) *Memory {
	cfg = cfg.withDefaults()
	return &Memory{
		cfg:              cfg,
		institutions:     make(map[string]Institution),
		courses:          make(map[string]Course),
		coursesByInst:    make(map[string]map[string]struct{}),
		sessions:         make(map[string]Session),
		sessionsByCourse: make(map[string]map[string]struct{}),
		enrollments:      make(map[string]map[string]Enrollment),
		hub:              NewHub(cfg.EventBuffer),
		audit:            auditRing{max: cfg.AuditEntries},
	}
}

// Subscribe implements Catalog.
func (m *Memory) Subscribe() (<-chan Event, func()) { return m.hub.Subscribe() }

func (m *Memory) now() time.Time { return normTime(m.cfg.Now()) }

// normTime is how every implementation stores a time: UTC, microseconds
// (what Postgres keeps).
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Stamp applies the compare-and-set rule of the Put methods, which every
// Catalog implementation shares: given is the UpdatedAt the caller sent
// (zero to create), prevCreated, prevUpdated and exists describe the stored
// record as read in the same transaction. It returns the CreatedAt and
// UpdatedAt to store, UpdatedAt always later than the previous one.
func Stamp(now time.Time, kind, id string, given, prevCreated, prevUpdated time.Time, exists bool) (time.Time, time.Time, error) {
	if given.IsZero() {
		if exists {
			return time.Time{}, time.Time{}, fmt.Errorf("%w: %s %q already exists", ErrConflict, kind, id)
		}
		return now, now, nil
	}
	if !exists {
		return time.Time{}, time.Time{}, fmt.Errorf("%s %q %w", kind, id, ErrNotFound)
	}
	if !given.Equal(prevUpdated) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: %s %q changed since it was read", ErrConflict, kind, id)
	}
	if !now.After(prevUpdated) {
		now = prevUpdated.Add(time.Microsecond)
	}
	return prevCreated, now, nil
}

// pageOf returns one page of the records named by ids, sorted by id.
func pageOf[T any](ids iter.Seq[string], get func(string) T, p Page) []T {
	var keep []string
	for id := range ids {
		if id > p.After {
			keep = append(keep, id)
		}
	}
	slices.Sort(keep)
	limit := p.Size()
	if len(keep) > limit {
		keep = keep[:limit]
	}
	out := make([]T, len(keep))
	for i, id := range keep {
		out[i] = get(id)
	}
	return out
}

// index adds id under parent in idx, and removes it from oldParent's set
// when the record moved.
func index(idx map[string]map[string]struct{}, parent, oldParent, id string) {
	if oldParent != "" && oldParent != parent {
		delete(idx[oldParent], id)
		if len(idx[oldParent]) == 0 {
			delete(idx, oldParent)
		}
	}
	set := idx[parent]
	if set == nil {
		set = make(map[string]struct{})
		idx[parent] = set
	}
	set[id] = struct{}{}
}

// Interface guards.
var (
	_ Catalog  = (*Memory)(nil)
	_ AuditLog = (*Memory)(nil)
)
