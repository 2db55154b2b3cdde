package rooms

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Registry maps session ids to live sessions on this node. It starts a
// session on its first join and owns the session goroutines: Shutdown stops
// them all and waits.
type Registry struct {
	cfg     Config
	store   DocStore
	log     *slog.Logger
	metrics *Metrics
	welcome func(*wire.Welcome) // fills in limits the gateway enforces
	act     *activityRuntime    // chat, polls, attendance; nil when disabled

	mu       sync.Mutex
	sessions map[string]*Session
	closed   bool
	wg       sync.WaitGroup

	// Set by Attach.
	dir      Directory
	auditLog catalog.AuditLog
	jobs     chan func(*Registry)
	quit     chan struct{}
	bg       sync.WaitGroup

	stopBackground sync.Once

	// The document writer (persist.go), started with the first session.
	startDocs sync.Once
	stopDocs  sync.Once
	docJobs   chan docJob
	docQuit   chan struct{}
	docDone   chan struct{}
	// The analysts' snapshotter (analytics.go), started with the writer.
	snapJobs chan snapshotJob
	snapQuit chan struct{}
	snapDone chan struct{}
}

// NewRegistry returns a registry whose sessions load from and save to
// store. log and metrics may be nil.
func NewRegistry(cfg Config, store DocStore, log *slog.Logger, metrics *Metrics) *Registry {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Registry{
		cfg:      cfg.withDefaults(),
		store:    store,
		log:      log,
		metrics:  metrics,
		sessions: make(map[string]*Session),
	}
	if as, ok := store.(activities.Store); ok {
		r.act = &activityRuntime{cfg: ActivityConfig{}.withDefaults(), store: as}
	}
	return r
}

// OnWelcome sets a function that completes every welcome before it is
// sent (the gateway adds the limits it enforces). Call before the first
// Join.
func (r *Registry) OnWelcome(f func(*wire.Welcome)) { r.welcome = f }

// JoinRequest is an authenticated join: who (from the verified token),
// with which role (from the enrollment), and where the client's replica
// stands (from its hello).
type JoinRequest struct {
	Session  string
	CourseID string
	User     string
	Name     string
	Role     Role
	Heads    []string // last server heads the client saw; empty for a fresh replica
	Mode     string   // "" or wire.ModeSync
	Guest    bool     // admitted by the session's invite token
	// Settings are the session's settings in the catalog at join time;
	// the first join of a live session adopts them, and its schedule and
	// video block.
	Settings catalog.Settings
	StartsAt time.Time
	EndsAt   time.Time
	Video    catalog.Video
	// ChatSince is the last chat seq the client saw (0: none); the join
	// then brings exactly the messages after it.
	ChatSince int64
}

// Join admits a connection to the session it names, loading the session
// if it is not live on this node. The member's initial frames are queued
// on conn before Join returns.
func (r *Registry) Join(ctx context.Context, req JoinRequest, conn Conn) (*Member, error) {
	if req.Session == "" || req.Name == "" || req.User == "" {
		return nil, fmt.Errorf("%w: session, user and name are required", ErrBadHello)
	}
	if Rank(req.Role) == 0 {
		return nil, fmt.Errorf("%w: unknown role %q", ErrBadHello, req.Role)
	}
	s, err := r.acquire(ctx, req.Session, req.CourseID)
	if err != nil {
		return nil, err
	}
	defer r.releaseJoin(s)

	reply := make(chan joinResult, 1)
	if err := s.post(ctx, event{kind: evJoin, join: req, conn: conn, reply: reply}); err != nil {
		return nil, err
	}
	select {
	case res := <-reply:
		return res.member, res.err
	case <-s.done:
		// The session may have answered just before it stopped.
		select {
		case res := <-reply:
			return res.member, res.err
		default:
			return nil, ErrClosed
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// acquire returns the live session for id, starting it if needed, and
// counts a join in progress so the session cannot unload under it.
func (r *Registry) acquire(ctx context.Context, id, course string) (*Session, error) {
	r.startDocs.Do(func() {
		r.startDocWriter()
		r.startSnapshotter()
		r.startActivities()
	})
	for {
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			return nil, ErrClosed
		}
		s := r.sessions[id]
		if s == nil {
			s = newSession(id, r)
			s.course = course
			r.sessions[id] = s
			r.wg.Add(1)
			go r.runSession(s)
		}
		if !s.closing {
			s.joining++
			r.mu.Unlock()
			return s, nil
		}
		r.mu.Unlock()
		// The session is unloading; wait for it to save, then start anew.
		select {
		case <-s.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (r *Registry) releaseJoin(s *Session) {
	r.mu.Lock()
	s.joining--
	r.mu.Unlock()
}

func (r *Registry) runSession(s *Session) {
	defer r.wg.Done()
	s.run()
	r.mu.Lock()
	if r.sessions[s.id] == s {
		delete(r.sessions, s.id)
	}
	r.mu.Unlock()
}

// release is called by an idle session that wants to unload. It agrees
// only if no join is under way; from then on new joins wait for the
// session to finish and start a fresh one.
func (r *Registry) release(s *Session) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.joining > 0 {
		return false
	}
	s.closing = true
	return true
}

// Len returns the number of live sessions.
func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sessions)
}

// Shutdown stops every session: each flushes its roster, asks its members
// to reconnect (close code 1012) and saves its document. It waits for them
// until ctx is done. Shutdown is idempotent.
func (r *Registry) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		for _, s := range r.sessions {
			s.closing = true
			close(s.stop)
		}
	}
	r.mu.Unlock()

	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		// Sessions are down; let the background goroutines write what they
		// queued (documents, audit entries), then stop them.
		if r.quit != nil {
			r.stopBackground.Do(func() { close(r.quit) })
		}
		r.bg.Wait()
		r.startDocs.Do(func() {}) // no writer will start now
		r.stopActivities(ctx)
		if r.docQuit != nil {
			r.stopDocs.Do(func() {
				close(r.docQuit)
				if r.snapQuit != nil {
					close(r.snapQuit)
				}
			})
			<-r.docDone
			if r.snapDone != nil {
				<-r.snapDone
			}
		}
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("failed to stop sessions: %w", ctx.Err())
	}
}
