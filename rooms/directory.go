package rooms

import (
	"context"
	"errors"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Directory is what live sessions need of the catalog: who may be in a
// session as what, and news of changes to that. catalog.Memory (and the
// durable catalogs) implement it.
type Directory interface {
	Admission(ctx context.Context, sessionID, userID string) (catalog.Admission, error)
	GetSession(ctx context.Context, id string) (catalog.Session, error)
	PutSession(ctx context.Context, s catalog.Session) (catalog.Session, error)
	Subscribe() (<-chan catalog.Event, func())
}

// Attach connects the registry to the catalog and the audit log and starts
// its background goroutine, which reacts to catalog changes (a removed
// enrollment disconnects the user within seconds, a changed role applies
// at once, an ended session closes) and writes audit entries and catalog
// updates off the sessions' goroutines. Shutdown stops it. Call once,
// before the first Join.
func (r *Registry) Attach(dir Directory, audit catalog.AuditLog) {
	r.dir, r.auditLog = dir, audit
	r.jobs = make(chan func(*Registry), 1024)
	r.quit = make(chan struct{})
	events, unsubscribe := dir.Subscribe()
	r.bg.Add(1)
	go func() {
		defer r.bg.Done()
		defer unsubscribe()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					return
				}
				r.onCatalogEvent(ev)
			case job := <-r.jobs:
				job(r)
			case <-r.quit:
				// Finish queued jobs (audit entries) before stopping.
				for {
					select {
					case job := <-r.jobs:
						job(r)
					default:
						return
					}
				}
			}
		}
	}()
}

// background queues work for the registry's goroutine without blocking a
// session: when the queue is full the job is dropped and logged.
func (r *Registry) background(job func(*Registry)) {
	if r.jobs == nil {
		return
	}
	select {
	case r.jobs <- job:
	default:
		r.log.Warn("registry background queue full; dropping a job")
	}
}

func (r *Registry) record(e catalog.AuditEntry) {
	if r.auditLog == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.auditLog.Record(ctx, e); err != nil {
		r.log.Error("failed to record audit entry", "session", e.SessionID, "action", e.Action, "err", err)
	}
}

// endInCatalog marks a session ended in the catalog after a teacher ended
// it from inside.
func (r *Registry) endInCatalog(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 { // the catalog compares and sets; retry on a concurrent write
		s, err := r.dir.GetSession(ctx, id)
		if err != nil || s.State == catalog.StateEnded {
			return
		}
		s.State = catalog.StateEnded
		if _, err = r.dir.PutSession(ctx, s); err == nil || !errors.Is(err, catalog.ErrConflict) {
			if err != nil {
				r.log.Error("failed to end session in catalog", "session", id, "err", err)
			}
			return
		}
	}
}

// onCatalogEvent turns a catalog change into events for the live sessions
// it concerns.
func (r *Registry) onCatalogEvent(ev catalog.Event) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	switch ev.Kind {
	case catalog.EnrollmentRemoved:
		for _, s := range r.live(func(s *Session) bool { return s.course == ev.CourseID }) {
			s.post(ctx, event{kind: evRevoke, user: ev.UserID, reason: "your enrollment in this course was removed"})
		}
	case catalog.EnrollmentChanged:
		for _, s := range r.live(func(s *Session) bool { return s.course == ev.CourseID }) {
			r.recheck(ctx, s, ev.UserID)
		}
	case catalog.SessionEnded:
		for _, s := range r.live(func(s *Session) bool { return s.id == ev.SessionID }) {
			s.post(ctx, event{kind: evEnded})
		}
	case catalog.SessionChanged:
		for _, s := range r.live(func(s *Session) bool { return s.id == ev.SessionID }) {
			cs, err := r.dir.GetSession(ctx, s.id)
			if err != nil {
				continue
			}
			if cs.State == catalog.StateEnded {
				s.post(ctx, event{kind: evEnded})
				continue
			}
			s.post(ctx, event{kind: evSettings, settings: cs.Settings, catalogSession: cs})
		}
	case catalog.Resync:
		// Events were lost: check every connected user again.
		for _, s := range r.live(func(*Session) bool { return true }) {
			users := make(chan []string, 1)
			if s.post(ctx, event{kind: evMembers, users: users}) != nil {
				continue
			}
			select {
			case list := <-users: // enrolled members only; guests hold an invite
				for _, u := range list {
					r.recheck(ctx, s, u)
				}
			case <-s.done:
			case <-ctx.Done():
			}
		}
	}
}

// recheck asks the catalog what user may now do in s and tells s.
func (r *Registry) recheck(ctx context.Context, s *Session, user string) {
	adm, err := r.dir.Admission(ctx, s.id, user)
	switch {
	case errors.Is(err, catalog.ErrNotEnrolled):
		s.post(ctx, event{kind: evRevoke, user: user, reason: "you are no longer enrolled in this course"})
	case err != nil:
		r.log.Warn("failed to recheck a member", "session", s.id, "err", err)
	default:
		s.post(ctx, event{kind: evRole, user: user, role: adm.Role})
	}
}

// live returns the live sessions that match.
func (r *Registry) live(match func(*Session) bool) []*Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*Session
	for _, s := range r.sessions {
		if !s.closing && match(s) {
			out = append(out, s)
		}
	}
	return out
}
