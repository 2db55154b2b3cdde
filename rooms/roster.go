package rooms

import (
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// roster batches the server's writes to the document's presence section.
// Joins and leaves are gathered here and written as one change every
// RosterInterval, so a join storm of 2,000 students costs a handful of
// document changes rather than 2,000 (presence only has to show within a
// second). Pending entries live here, not in the document, so the document
// never holds uncommitted operations that a save would silently commit.
type roster struct {
	conns   map[string]int // open connections per user
	pending map[string]rosterEntry
	since   time.Time // when the oldest pending entry was added
}

type rosterEntry struct {
	presence crdt.Presence
	online   bool
	at       int64
}

func newRoster() roster {
	return roster{conns: make(map[string]int), pending: make(map[string]rosterEntry)}
}

func (r *roster) mark(user string, e rosterEntry, now time.Time) {
	if len(r.pending) == 0 {
		r.since = now
	}
	r.pending[user] = e
}

func (r *roster) joined(m *Member, now time.Time) {
	r.conns[m.User]++
	if r.conns[m.User] > 1 {
		return // a second tab of someone already online
	}
	ms := now.UnixMilli()
	r.mark(m.User, rosterEntry{online: true, at: ms, presence: crdt.Presence{
		Name: m.Name, Role: string(m.role), JoinedAt: ms, Status: "online",
	}}, now)
}

func (r *roster) left(user string, now time.Time) {
	r.conns[user]--
	if r.conns[user] > 0 {
		return
	}
	delete(r.conns, user)
	if e, ok := r.pending[user]; ok && e.online {
		// Joined and left within one batch: still record the visit.
		e.presence.Status, e.presence.LeftAt = "offline", now.UnixMilli()
		r.pending[user] = e
		return
	}
	r.mark(user, rosterEntry{at: now.UnixMilli()}, now)
}

func (r *roster) due(now time.Time, every time.Duration) bool {
	return len(r.pending) > 0 && now.Sub(r.since) >= every
}

// flushRoster writes pending roster entries as one change and publishes it.
func (s *Session) flushRoster(now time.Time) {
	if len(s.roster.pending) == 0 {
		return
	}
	for user, e := range s.roster.pending {
		var err error
		if e.online || e.presence.Status == "offline" {
			err = s.doc.SetPresence(user, e.presence)
		} else {
			err = s.doc.SetPresenceStatus(user, "offline", e.at)
		}
		if err != nil {
			s.log.Error("failed to write roster entry", "err", err)
		}
	}
	clear(s.roster.pending)
	applied, err := s.doc.Commit("roster")
	if err != nil {
		s.log.Error("failed to commit roster", "err", err)
		return
	}
	if applied.Count > 0 {
		s.metrics.rosterCommit()
		s.publish(applied.Chunks, applied.Count, nil, now)
	}
}

// flushCursors sends every changed cursor to the members who may see it,
// one shared frame per audience: teachers and moderators see everyone's
// cursor; students see the staff's, and each other's only when the
// session's student_cursors setting is on.
func (s *Session) flushCursors() {
	s.cursors = false
	var all, staff wire.PresenceBatch
	for _, m := range s.members {
		if !m.cursorSet {
			continue
		}
		m.cursorSet = false
		p := wire.PeerPresence{Peer: m.ID, User: m.User, Name: m.Name, Cursor: m.cursor.Cursor, Status: m.cursor.Status}
		all.Peers = append(all.Peers, p)
		if Allowed(m.role, ActSeeCursors) {
			staff.Peers = append(staff.Peers, p)
		}
	}
	if len(all.Peers) == 0 {
		return
	}
	allFrame := wire.JSONFrame(wire.TypePresence, all)
	var staffFrame []byte
	if len(staff.Peers) > 0 && !s.settings.StudentCursors {
		staffFrame = wire.JSONFrame(wire.TypePresence, staff)
	}
	for _, m := range s.members {
		switch {
		case s.settings.StudentCursors || Allowed(m.role, ActSeeCursors):
			m.conn.SendEphemeral(allFrame)
		case staffFrame != nil:
			m.conn.SendEphemeral(staffFrame)
		}
	}
}
