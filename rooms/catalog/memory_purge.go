package catalog

import (
	"context"
	"slices"
)

// PurgeUser deletes user's enrollments (emitting EnrollmentRemoved for
// each) and replaces user by pseudonym as the actor and the target of
// audit entries, but those of the sessions in skip, for a privacy purge
// (store.MemoryPurge; the durable stores do the same in SQL). With dryRun
// it changes nothing and only counts.
func (m *Memory) PurgeUser(_ context.Context, user, pseudonym string, skip []string, dryRun bool) (enrollments, audit int, err error) {
	m.mu.Lock()
	var removed []string
	for course, users := range m.enrollments {
		if _, ok := users[user]; !ok {
			continue
		}
		removed = append(removed, course)
		if dryRun {
			continue
		}
		delete(users, user)
		if len(users) == 0 {
			delete(m.enrollments, course)
		}
	}
	slices.Sort(removed)
	if !dryRun {
		for _, course := range removed {
			m.hub.Publish(Event{Kind: EnrollmentRemoved, CourseID: course, UserID: user})
		}
	}
	m.mu.Unlock()

	r := &m.audit
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range r.entries {
		if (e.ActorID != user && e.TargetID != user) || (e.SessionID != "" && slices.Contains(skip, e.SessionID)) {
			continue
		}
		audit++
		if dryRun {
			continue
		}
		if e.ActorID == user {
			e.ActorID = pseudonym
		}
		if e.TargetID == user {
			e.TargetID = pseudonym
		}
		r.entries[i] = e
	}
	return len(removed), audit, nil
}

// PurgeSessionAudit deletes the audit entries of the sessions named, for
// retention, and returns how many it deleted.
func (m *Memory) PurgeSessionAudit(_ context.Context, sessions []string) (int, error) {
	drop := make(map[string]bool, len(sessions))
	for _, s := range sessions {
		drop[s] = true
	}
	r := &m.audit
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.entries)
	kept := make([]AuditEntry, 0, n)
	for i := range n { // oldest first: the ring starts at next once full
		e := r.entries[(r.next+i)%n]
		if e.SessionID == "" || !drop[e.SessionID] {
			kept = append(kept, e)
		}
	}
	deleted := n - len(kept)
	if deleted > 0 {
		r.entries, r.next = kept, 0
	}
	return deleted, nil
}
