package storetest

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// RunPurgeSessions checks a privacy.SessionPurger: purging a session
// deletes its document, changes, snapshots, chat, polls with answers and
// results, events, connections, attendance and audit entries; other
// sessions keep theirs; the catalog row stays; a second run deletes
// nothing. newSubject returns an empty store for each subtest.
func RunPurgeSessions(t *testing.T, newSubject func(t *testing.T) PurgeSubject) {
	t.Run("DeletesOnlyTheirData", func(t *testing.T) {
		s := newSubject(t)
		ctx := context.Background()
		seed := seedPurge(t, s)
		ses3Before := sessionRecords(t, s, "ses-3")

		rep, err := s.Sessions.PurgeSessions(ctx, []string{"ses-1", "ses-2", "ses-none"})
		ok(t, err)
		want := privacy.SessionReport{Sessions: 2, Documents: 2, Changes: 1, Snapshots: 1, ChatMessages: 4, Polls: 3,
			Results: 1, Submissions: 4, Intervals: 2, Attendance: 2, Events: 4, Audit: 2}
		same(t, "report", rep, want)

		for _, id := range []string{"ses-1", "ses-2"} {
			if doc, err := s.Docs.LoadDoc(ctx, id); err != nil || doc != nil {
				t.Errorf("document of %s: %d bytes, %v", id, len(doc), err)
			}
			if _, found, err := s.Snapshots.LatestSnapshot(ctx, id); err != nil || found {
				t.Errorf("snapshot of %s: %v, %v", id, found, err)
			}
			chat, _ := s.Activities.ChatHistory(ctx, id, 0, 100)
			ps, _ := s.Activities.Polls(ctx, id)
			evs, _ := s.Activities.Events(ctx, id)
			ivs, _ := s.Activities.Intervals(ctx, id)
			att, _ := s.Activities.Attendance(ctx, id)
			audit, err := s.Audit.List(ctx, catalog.AuditQuery{SessionID: id})
			ok(t, err)
			if n := len(chat) + len(ps) + len(evs) + len(ivs) + len(att) + len(audit); n != 0 {
				t.Errorf("%s keeps %d records: chat %v polls %v events %v intervals %v attendance %v audit %v",
					id, n, chat, ps, evs, ivs, att, audit)
			}
			if _, err := s.Catalog.GetSession(ctx, id); err != nil {
				t.Errorf("catalog row of %s: %v", id, err)
			}
		}
		for _, poll := range seed.polls {
			subs, _ := s.Activities.Submissions(ctx, poll)
			_, found, _ := s.Activities.PollResults(ctx, poll)
			if len(subs) != 0 || found {
				t.Errorf("poll %s keeps %d answers, results %v", poll, len(subs), found)
			}
		}
		same(t, "ses-3", sessionRecords(t, s, "ses-3"), ses3Before)
		// What is not a session's stays: enrollments, audit entries
		// without a session.
		enr, err := s.Catalog.ListEnrollments(ctx, "crs", catalog.Page{})
		ok(t, err)
		all, err := s.Audit.List(ctx, catalog.AuditQuery{})
		ok(t, err)
		if len(enr) != 2 || len(all) != 2 {
			t.Errorf("enrollments %v, audit %v", enr, all)
		}

		rep, err = s.Sessions.PurgeSessions(ctx, []string{"ses-1", "ses-2"})
		ok(t, err)
		same(t, "second report", rep, privacy.SessionReport{})
		if rep, err := s.Sessions.PurgeSessions(ctx, nil); err != nil || rep.Rows() != 0 {
			t.Errorf("no sessions: %+v, %v", rep, err)
		}
	})
}
