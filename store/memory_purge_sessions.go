package store

import "github.com/homeroom-edu/homeroom/store/privacy"

// purgeSessions deletes the sessions' data and returns what it deleted and
// the sessions that had any.
func (m *Memory) purgeSessions(sessions []string) (privacy.SessionReport, map[string]bool) {
	had := make(map[string]bool)
	var rep privacy.SessionReport
	m.mu.Lock()
	for _, s := range sessions {
		if _, ok := m.docs[s]; ok {
			rep.Documents++
			had[s] = true
			delete(m.docs, s)
		}
		if _, ok := m.changes[s]; ok {
			rep.Changes++
			had[s] = true
			delete(m.changes, s)
		}
		if _, ok := m.snapshots[s]; ok {
			rep.Snapshots++
			had[s] = true
			delete(m.snapshots, s)
		}
	}
	m.mu.Unlock()

	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range sessions {
		for _, n := range []struct {
			count *int
			rows  int
		}{
			{&rep.ChatMessages, len(a.chat[s])},
			{&rep.Events, len(a.events[s])},
			{&rep.Intervals, len(a.intervals[s])},
			{&rep.Attendance, len(a.attendance[s])},
		} {
			*n.count += n.rows
			if n.rows > 0 {
				had[s] = true
			}
		}
		delete(a.chat, s)
		delete(a.events, s)
		delete(a.intervals, s)
		delete(a.attendance, s)
	}
	wanted := make(map[string]bool, len(sessions))
	for _, s := range sessions {
		wanted[s] = true
	}
	for id, p := range a.polls {
		if !wanted[p.Session] {
			continue
		}
		rep.Polls++
		had[p.Session] = true
		if _, ok := a.results[id]; ok {
			rep.Results++
			delete(a.results, id)
		}
		delete(a.polls, id)
	}
	for poll, subs := range a.answers {
		for voter, sub := range subs {
			if wanted[sub.Session] {
				rep.Submissions++
				had[sub.Session] = true
				delete(subs, voter)
			}
		}
		if len(subs) == 0 {
			delete(a.answers, poll)
		}
	}
	return rep, had
}
