package rooms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/homeroom-edu/homeroom/activities/chat"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Session is one live class session: its document, its members and the
// caches that let thousands of them join without per-peer Automerge work.
// All fields below the channels are owned by the session goroutine.
type Session struct {
	id      string
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	store   DocStore
	reg     *Registry

	inbox   chan event
	stop    chan struct{}      // closed by the registry to stop the session
	done    chan struct{}      // closed when the goroutine has returned
	checked chan snapshotCheck // results of snapshot checks
	// unloading is closed when the goroutine stops reading its inbox;
	// workers then stop posting to it.
	unloading chan struct{}
	workers   sync.WaitGroup // snapshot checks under way

	// Guarded by reg.mu.
	joining int
	closing bool
	course  string // the course the session belongs to, set when it starts

	doc      *crdt.Doc
	objects  *crdt.ObjectIndex // where every object of doc lives, for the write rules
	courseID string
	settings catalog.Settings
	muted    map[string]bool // users who may not chat
	removed  map[string]bool // users removed from this session; they may not rejoin it
	screen   string          // user allowed to share their screen, "" for none
	ended    bool
	startsAt time.Time // the session's schedule, from the catalog
	endsAt   time.Time
	endedAt  time.Time     // when the session ended, if it did while live here
	video    catalog.Video // the session's video block, from the catalog

	act         *liveActivities // nil when the registry has no activity store
	chatLimiter *chat.Limiter
	engagement  []string // engagement kinds seen by the last authorize

	unsaved     []byte // changes published since the last write to the store
	lastPersist time.Time
	needsBase   bool // the store has no document of this session yet
	members     []*Member
	nextPeer    int
	join        joinCache
	roster      roster
	cursors     bool // a member's cursor changed since the last cursor frame
}

func newSession(id string, r *Registry) *Session {
	return &Session{
		id:        id,
		cfg:       r.cfg,
		log:       r.log.With("session", id),
		metrics:   r.metrics,
		store:     r.store,
		reg:       r,
		inbox:     make(chan event, r.cfg.InboxSize),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
		checked:   make(chan snapshotCheck, 1),
		unloading: make(chan struct{}),
		roster:    newRoster(),
		muted:     make(map[string]bool),
		removed:   make(map[string]bool),
	}
}

// ID returns the session id.
func (s *Session) ID() string { return s.id }

// post hands an event to the session goroutine.
func (s *Session) post(ctx context.Context, ev event) error {
	select {
	case s.inbox <- ev:
		return nil
	case <-s.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the session goroutine: it loads the document, then handles events
// in order until the registry stops it or it unloads itself when idle.
func (s *Session) run() {
	defer close(s.done)
	defer s.workers.Wait()
	if err := s.load(); err != nil {
		s.log.Error("failed to load session", "err", err)
		s.failPending(err)
		return
	}
	s.metrics.sessionUp()
	defer s.metrics.sessionDown()
	defer s.metrics.sessionGone(s.id)

	tick := time.NewTicker(s.cfg.CursorInterval)
	defer tick.Stop()
	idle := time.NewTimer(s.cfg.IdleTimeout)
	defer idle.Stop()

	for {
		select {
		case ev := <-s.inbox:
			s.handle(ev)
			if len(s.members) == 0 && ev.kind == evLeave {
				idle.Reset(s.cfg.IdleTimeout)
			}
		case now := <-tick.C:
			s.tick(now)
		case r := <-s.checked:
			s.snapshotChecked(r)
		case <-idle.C:
			if len(s.members) > 0 || !s.reg.release(s) {
				idle.Reset(s.cfg.IdleTimeout)
				continue
			}
			s.finish(false)
			return
		case <-s.stop:
			s.finish(true)
			return
		}
	}
}

func (s *Session) load() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.SaveTimeout)
	defer cancel()
	saved, err := s.store.LoadDoc(ctx, s.id)
	if err != nil {
		return fmt.Errorf("load session %q: %w", s.id, err)
	}
	if saved == nil {
		s.doc, err = crdt.New(s.id)
		s.needsBase = true
	} else {
		s.doc, err = crdt.Load(saved)
	}
	if err != nil {
		return fmt.Errorf("open document of session %q: %w", s.id, err)
	}
	if s.objects, err = crdt.BuildIndex(s.doc); err != nil {
		return fmt.Errorf("index document of session %q: %w", s.id, err)
	}
	s.initSnapshot(saved)
	if s.reg.act != nil {
		s.chatLimiter = chat.NewLimiter(s.reg.act.cfg.Chat)
		s.loadActivities(ctx)
	}
	return nil
}

// failPending answers joins that queued while the document failed to load.
func (s *Session) failPending(err error) {
	for {
		select {
		case ev := <-s.inbox:
			if ev.kind == evJoin {
				ev.reply <- joinResult{err: err}
			}
		default:
			return
		}
	}
}

func (s *Session) handle(ev event) {
	if ev.member != nil && ev.kind != evLeave && !s.isMember(ev.member) {
		return // the member was removed while this event was queued
	}
	switch ev.kind {
	case evJoin:
		m, err := s.admit(ev.join, ev.conn)
		ev.reply <- joinResult{member: m, err: err}
	case evLeave:
		s.leave(ev.member)
	case evChanges:
		s.applyChanges(ev.member, ev.ref, ev.chunks, ev.at)
	case evSync:
		s.receiveSync(ev.member, ev.data)
	case evPresence:
		// A heartbeat repeating the last state only proves liveness (the
		// gateway's idle timer already saw it); broadcasting it would cost
		// every member a frame per member every 15 s.
		s.attPresence(ev.member, ev.presence.Status, time.Now())
		if !samePresence(ev.member.cursor, ev.presence) {
			ev.member.cursor, ev.member.cursorSet = ev.presence, true
			s.cursors = true
		}
	case evApp:
		s.handleApp(ev.member, ev.app, ev.data)
	case evRevoke:
		s.removed[ev.user] = true
		s.disconnectUser(ev.user, wire.CloseRemoved, ev.reason)
	case evRole:
		s.setRole(ev.user, ev.role)
	case evEnded:
		s.end()
	case evSettings:
		s.settings = ev.settings
		if cs := ev.catalogSession; cs.ID != "" {
			s.startsAt, s.endsAt = cs.StartsAt, cs.EndsAt
			s.setVideo(cs.Video)
		}
		if err := s.applySettings(); err != nil {
			s.log.Error("failed to apply settings", "err", err)
		}
	case evMembers:
		users := make([]string, 0, len(s.members))
		for _, m := range s.members {
			if !m.Guest {
				users = append(users, m.User)
			}
		}
		ev.users <- users
	case evFunc:
		ev.fn(s)
	}
}

func samePresence(a, b wire.Presence) bool {
	return a.Status == b.Status && slices.Equal(a.Cursor, b.Cursor)
}

func (s *Session) tick(now time.Time) {
	if s.roster.due(now, s.cfg.RosterInterval) {
		s.flushRoster(now)
	}
	if s.cursors {
		s.flushCursors()
	}
	s.flushTallies(now)
	s.persistTick(now)
}

// applyChanges applies a client's changes frame, acknowledges it, and fans
// the new changes out to everyone else.
func (s *Session) applyChanges(m *Member, ref uint64, chunks []crdt.Chunk, at time.Time) {
	if err := s.accept(m, chunks, at); err != nil {
		var r *refusal
		code, reset := wire.CodeBadChange, false
		switch {
		case errors.As(err, &r):
			// The client's copy now holds a change the server will never
			// take; every later local change would depend on it.
			code, reset = r.code, true
		case errors.Is(err, crdt.ErrMissingDeps):
			code = wire.CodeMissingDeps
		}
		s.metrics.rejected(code)
		e := wire.NewError(code, ref, err.Error())
		e.Reset = reset
		m.conn.Send(e.Frame())
		return
	}
	m.conn.Send(wire.JSONFrame(wire.TypeAck, wire.Ack{Ref: ref}))
}

// accept checks a member's change chunks against the write rules and
// applies them, publishing what got in. A refusal is a *refusal.
func (s *Session) accept(m *Member, chunks []crdt.Chunk, at time.Time) error {
	if r := s.authorize(m, chunks); r != nil {
		return r
	}
	size := 0
	for _, c := range chunks {
		size += len(c.Raw)
	}
	if s.cfg.MaxDocBytes > 0 && len(s.join.snapshotFrame)+s.join.tailBytes+size > s.cfg.MaxDocBytes {
		return deny(wire.CodeTooLarge, "the session's document has reached its size limit")
	}
	applied, err := s.doc.ApplyChunks(chunks)
	if err == nil {
		for _, kind := range s.engagement {
			s.engagedUser(m.User, kind, at)
		}
	}
	// Automerge may refuse a change after earlier ones in the same frame
	// got in: those are in the document now and must reach everyone.
	if applied.Count > 0 {
		s.publish(applied.Chunks, applied.Count, m, at)
	}
	return err
}

// publish records new changes in the join cache and sends them, encoded
// once, to every member except from.
func (s *Session) publish(chunks []byte, count int, from *Member, at time.Time) {
	if from == nil {
		// The server's own commits; a member's changes were indexed when
		// they were authorized.
		if err := s.objects.AddChanges(chunks); err != nil {
			s.log.Error("failed to index server change", "err", err)
		}
	}
	s.join.appendTail(chunks, count)
	s.unsaved = append(s.unsaved, chunks...)
	defer s.maybeRenewSnapshot()
	s.metrics.applied(count)
	frame := wire.AppendChanges(nil, 0, chunks)
	for _, o := range s.members {
		if o != from {
			o.conn.SendAt(frame, at)
		}
	}
}

func (s *Session) isMember(m *Member) bool {
	return m != nil && m.session == s && m.conn != nil
}

func (s *Session) leave(m *Member) {
	for i, o := range s.members {
		if o == m {
			last := len(s.members) - 1
			s.members[i] = s.members[last]
			s.members[last] = nil
			s.members = s.members[:last]
			s.metrics.memberDown()
			now := time.Now()
			s.attLeft(m, now)
			m.conn = nil
			s.roster.left(m.User, now)
			return
		}
	}
}

// finish flushes what is pending, closes members on shutdown, and saves
// the document so the next load resumes from here.
func (s *Session) finish(shutdown bool) {
	close(s.unloading)
	s.flushRoster(time.Now())
	if shutdown {
		now := time.Now()
		for _, m := range s.members {
			s.attLeft(m, now)
			m.conn.Close(wire.CloseServiceRestart, "server restarting: reconnect")
			s.metrics.memberDown()
		}
		s.members = nil
	}
	saved, _, err := s.doc.SaveChecked()
	if err == nil {
		err = s.persistFinal(saved)
	}
	if err != nil {
		s.log.Error("failed to save session on unload", "err", err)
	}
	// Joins that raced with the stop get a clear refusal.
	s.failPending(ErrClosed)
}
