package catalog

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Cached answers Admission from memory in front of a durable catalog. A
// join storm asks about 2,000 different students of one session within
// seconds, so the cache keeps whole courses: the first question about a
// session loads the session, its course and all the course's enrollments;
// the rest are map lookups. What changes is dropped on the catalog's own
// change events (and at once for writes made through the cache), and every
// entry expires after TTL, which bounds how stale an answer can be when
// another node changed the catalog. Every other method goes straight to the
// catalog. Close stops the goroutine that follows the events.
type Cached struct {
	Catalog
	ttl time.Duration

	mu       sync.Mutex
	sessions map[string]cachedSession     // session id → session and course
	courses  map[string]cachedEnrollments // course id → user → role
	gen      uint64                       // bumped by every invalidation

	stop func()
	done chan struct{}
}

type cachedSession struct {
	session Session
	course  Course
	expires time.Time
}

type cachedEnrollments struct {
	roles   map[string]Role
	expires time.Time
}

// NewCached wraps c; ttl 0 means 30s.
func NewCached(c Catalog, ttl time.Duration) *Cached {
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	events, stop := c.Subscribe()
	k := &Cached{Catalog: c, ttl: ttl, sessions: map[string]cachedSession{},
		courses: map[string]cachedEnrollments{}, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(k.done)
		for ev := range events {
			k.invalidate(ev)
		}
	}()
	return k
}

// Close stops following the catalog's events; it is idempotent.
func (k *Cached) Close() {
	k.stop()
	<-k.done
}

// Admission answers from the cache, loading the session's course on a miss.
func (k *Cached) Admission(ctx context.Context, sessionID, userID string) (Admission, error) {
	now := time.Now()
	k.mu.Lock()
	s, sok := k.sessions[sessionID]
	var c cachedEnrollments
	cok := false
	if sok {
		c, cok = k.courses[s.session.CourseID]
	}
	gen := k.gen
	k.mu.Unlock()
	if sok && cok && now.Before(s.expires) && now.Before(c.expires) {
		return answer(s, c.roles[userID], userID)
	}
	if !sok || !now.Before(s.expires) {
		adm, err := k.Catalog.Admission(ctx, sessionID, userID)
		if err != nil && !errors.Is(err, ErrNotEnrolled) {
			return adm, err
		}
		s = cachedSession{session: adm.Session, course: adm.Course, expires: now.Add(k.ttl)}
	}
	roles, err := k.loadCourse(ctx, s.session.CourseID)
	if err != nil {
		return Admission{}, err
	}
	k.mu.Lock()
	// An invalidation while we read may concern these answers: keep them
	// only if none happened.
	if k.gen == gen {
		k.sessions[sessionID] = s
		k.courses[s.session.CourseID] = cachedEnrollments{roles: roles, expires: now.Add(k.ttl)}
	}
	k.mu.Unlock()
	return answer(s, roles[userID], userID)
}

func answer(s cachedSession, role Role, userID string) (Admission, error) {
	adm := Admission{Session: s.session, Course: s.course, Role: role}
	if role == "" {
		return adm, errors.Join(ErrNotEnrolled, errors.New("user "+userID+" in course "+s.course.ID))
	}
	return adm, nil
}

// loadCourse reads every enrollment of a course.
func (k *Cached) loadCourse(ctx context.Context, courseID string) (map[string]Role, error) {
	roles := make(map[string]Role)
	page := Page{Limit: 1000}
	for {
		es, err := k.Catalog.ListEnrollments(ctx, courseID, page)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			roles[e.UserID] = e.Role
		}
		if len(es) < page.Limit {
			return roles, nil
		}
		page.After = es[len(es)-1].UserID
	}
}

func (k *Cached) invalidate(ev Event) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gen++
	switch ev.Kind {
	case EnrollmentChanged, EnrollmentRemoved:
		delete(k.courses, ev.CourseID)
	case SessionChanged, SessionEnded:
		delete(k.sessions, ev.SessionID)
	default: // Resync, or anything new
		clear(k.sessions)
		clear(k.courses)
	}
}

// Writes through the cache drop what they change at once, so a caller
// reads its own writes; the events that follow drop it again, harmlessly.

// PutSession stores s and drops it from the cache.
func (k *Cached) PutSession(ctx context.Context, s Session) (Session, error) {
	out, err := k.Catalog.PutSession(ctx, s)
	if err == nil {
		k.invalidate(Event{Kind: SessionChanged, SessionID: s.ID})
	}
	return out, err
}

// PutCourse stores c and drops the whole cache (sessions carry courses).
func (k *Cached) PutCourse(ctx context.Context, c Course) (Course, error) {
	out, err := k.Catalog.PutCourse(ctx, c)
	if err == nil {
		k.invalidate(Event{Kind: Resync})
	}
	return out, err
}

// PutEnrollment stores e and drops its course's enrollments.
func (k *Cached) PutEnrollment(ctx context.Context, e Enrollment) (Enrollment, error) {
	out, err := k.Catalog.PutEnrollment(ctx, e)
	if err == nil {
		k.invalidate(Event{Kind: EnrollmentChanged, CourseID: e.CourseID, UserID: e.UserID})
	}
	return out, err
}

// DeleteEnrollment removes the enrollment and drops its course's
// enrollments.
func (k *Cached) DeleteEnrollment(ctx context.Context, courseID, userID string) error {
	err := k.Catalog.DeleteEnrollment(ctx, courseID, userID)
	if err == nil {
		k.invalidate(Event{Kind: EnrollmentRemoved, CourseID: courseID, UserID: userID})
	}
	return err
}

// Interface guard.
var _ Catalog = (*Cached)(nil)
