package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// purgeUser purges user from what Memory holds: session documents, their
// snapshots and the activities' records (MemoryPurge adds the catalog's
// enrollments and audit log). Open sessions are only checked, not
// changed, and reported in OpenSessions. A dry run counts and changes
// nothing.
func (m *Memory) purgeUser(user, pseudonym string, dry bool, open func(session string) bool) (privacy.PurgeReport, error) {
	rep := privacy.PurgeReport{Pseudonym: pseudonym, DryRun: dry}
	docs, err := m.purgeDocs(user, pseudonym, dry, open)
	rep.Add(docs)
	rep.Add(m.act.purgeUser(user, pseudonym, dry, open, time.Now()))
	rep.Sessions, rep.OpenSessions = privacy.Sorted(rep.Sessions), []string{}
	for _, id := range rep.Sessions {
		if open(id) {
			rep.OpenSessions = append(rep.OpenSessions, id)
		}
	}
	return rep, err
}

// purgeDocs redacts the documents and snapshots that mention user. A
// document that does not load is left as it is and reported.
func (m *Memory) purgeDocs(user, pseudonym string, dry bool, open func(string) bool) (privacy.PurgeReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var rep privacy.PurgeReport
	var errs []error
	for _, session := range m.sessionsLocked() {
		saved := append(slices.Clone(m.docs[session]), m.changes[session]...)
		keep := open(session)
		out, changed, err := privacy.RedactSaved(saved, user, pseudonym, dry || keep)
		if err != nil {
			errs = append(errs, fmt.Errorf("redact document of session %q: %w", session, err))
			continue
		}
		if !changed {
			continue
		}
		rep.Sessions = append(rep.Sessions, session)
		if keep {
			continue
		}
		rep.Documents++
		if !dry {
			m.docs[session] = out
			delete(m.changes, session)
		}
	}
	for session, snap := range m.snapshots {
		if open(session) {
			continue
		}
		out, changed, err := redactSnapshot(snap.State, user, pseudonym, dry)
		if err != nil {
			errs = append(errs, fmt.Errorf("redact snapshot of session %q: %w", session, err))
			continue
		}
		if !changed {
			continue
		}
		rep.Snapshots++
		rep.Sessions = append(rep.Sessions, session)
		if !dry {
			snap.State = out
			m.snapshots[session] = snap
		}
	}
	return rep, errors.Join(errs...)
}

// sessionsLocked returns the sessions with a document or changes.
func (m *Memory) sessionsLocked() []string {
	var out []string
	for s := range m.docs {
		out = append(out, s)
	}
	for s := range m.changes {
		if _, ok := m.docs[s]; !ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// redactSnapshot is crdt.RedactSnapshotJSON, or for a dry run whether it
// would change anything.
func redactSnapshot(state []byte, user, pseudonym string, dry bool) ([]byte, bool, error) {
	if dry {
		pseudonym = privacy.NewPseudonym()
	}
	return crdt.RedactSnapshotJSON(state, user, pseudonym)
}

// purgeUser anonymises user's chat messages and polls and deletes their
// answers, connections, attendance and events, except in open sessions,
// which are only reported.
func (a *memoryActivities) purgeUser(user, pseudonym string, dry bool, open func(string) bool, now time.Time) privacy.PurgeReport {
	a.mu.Lock()
	defer a.mu.Unlock()
	var rep privacy.PurgeReport
	// touched notes a session with a record of user and reports whether
	// to purge it.
	touched := func(session string) bool {
		rep.Sessions = append(rep.Sessions, session)
		return !open(session)
	}
	for session, list := range a.chat {
		for i, msg := range list {
			if (msg.User != user && msg.DeletedBy != user) || !touched(session) {
				continue
			}
			rep.ChatMessages++
			if !dry {
				list[i] = anonymousChat(msg, user, pseudonym, now)
			}
		}
	}
	for id, p := range a.polls {
		if p.CreatedBy == user && touched(p.Session) {
			rep.Polls++
			if !dry {
				p.CreatedBy = pseudonym
				a.polls[id] = p
			}
		}
	}
	for poll, subs := range a.answers {
		ballot := ""
		if p, ok := a.polls[poll]; ok && p.Anonymous {
			ballot = polls.Voter(p, user) // "" once the poll closed
		}
		for voter, s := range subs {
			if (s.User == user || voter == user || (ballot != "" && voter == ballot)) && touched(s.Session) {
				rep.Submissions++
				if !dry {
					delete(subs, voter)
				}
			}
		}
	}
	rep.Events = purgeEach(a.events, func(e activities.Event) bool { return e.User == user }, dry, touched)
	rep.Intervals = purgeEach(a.intervals, func(iv activities.Interval) bool { return iv.User == user }, dry, touched)
	rep.Attendance = purgeEach(a.attendance, func(r activities.AttendanceRecord) bool { return r.User == user }, dry, touched)
	return rep
}

// anonymousChat is msg with user replaced by pseudonym: as its author, a
// tombstone without text or client id, named privacy.DeletedName; as the
// moderator who deleted it, pseudonym.
func anonymousChat(msg activities.ChatMessage, user, pseudonym string, now time.Time) activities.ChatMessage {
	if msg.DeletedBy == user {
		msg.DeletedBy = pseudonym
	}
	if msg.User != user {
		return msg
	}
	msg.User, msg.Name, msg.ClientID, msg.Text = pseudonym, privacy.DeletedName, "", ""
	if !msg.Deleted() {
		msg.DeletedAt, msg.DeletedBy = now.UTC().Truncate(time.Microsecond), pseudonym
	}
	return msg
}

// purgeEach deletes the records that match of the sessions touched lets
// it, unless dry, and returns how many it deleted (or would).
func purgeEach[T any](bySession map[string][]T, match func(T) bool, dry bool, touched func(string) bool) int {
	n := 0
	for session, list := range bySession {
		keep := list[:0:0]
		for _, r := range list {
			if match(r) && touched(session) {
				n++
				continue
			}
			keep = append(keep, r)
		}
		if !dry && len(keep) != len(list) {
			bySession[session] = keep
		}
	}
	return n
}
