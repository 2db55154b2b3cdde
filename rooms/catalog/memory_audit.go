package catalog

import (
	"context"
	"sync"
)

// auditRing keeps the newest max entries.
type auditRing struct {
	max int

	mu      sync.RWMutex
	entries []AuditEntry // ring once len == max
	next    int          // where the next entry goes once full
}

// Record implements AuditLog. Memory keeps the newest
// MemoryConfig.AuditEntries entries (default 100000) and drops the oldest.
func (m *Memory) Record(_ context.Context, e AuditEntry) error {
	if e.Action == "" {
		return invalid("audit.action", "is required")
	}
	if e.At.IsZero() {
		e.At = m.now()
	} else {
		e.At = normTime(e.At)
	}
	r := &m.audit
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.entries) < r.max {
		r.entries = append(r.entries, e)
		return nil
	}
	r.entries[r.next] = e
	r.next = (r.next + 1) % r.max
	return nil
}

// List implements AuditLog, newest first (in the order recorded).
func (m *Memory) List(_ context.Context, q AuditQuery) ([]AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	limit = min(limit, MaxAuditLimit)
	r := &m.audit
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]AuditEntry, 0, min(limit, len(r.entries)))
	n := len(r.entries)
	for i := 0; i < n && len(out) < limit; i++ {
		// newest is just before next (next is 0 until the ring is full)
		e := r.entries[(r.next-1-i+2*n)%n]
		if q.SessionID == "" || e.SessionID == q.SessionID {
			out = append(out, e)
		}
	}
	return out, nil
}
