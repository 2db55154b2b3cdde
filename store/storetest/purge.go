package storetest

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// RunPurge checks a privacy.UserPurger: a dry run counts and changes
// nothing; a purge leaves the documents of sessions not ended as they are
// and reports them, and once they have ended a second purge finishes;
// then no record or document holds a trace of the user (searched through
// every read method and, with Dump, in every table's text), what stays is
// anonymised (chat, polls, audit, the board), everyone else's records are
// as they were, and a third purge finds nothing.
// newSubject returns an empty store for each subtest.
func RunPurge(t *testing.T, newSubject func(t *testing.T) PurgeSubject) {
	t.Run("LeavesNoTrace", func(t *testing.T) { testPurgeLeavesNoTrace(t, newSubject(t)) })
	t.Run("RefusesBadArguments", func(t *testing.T) {
		s := newSubject(t)
		ctx := context.Background()
		for _, c := range [][2]string{{"", "deleted-x"}, {adaID, ""}, {adaID, adaID}} {
			if _, err := s.Users.PurgeUser(ctx, c[0], c[1]); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("PurgeUser(%q, %q) = %v, want ErrInvalid", c[0], c[1], err)
			}
		}
		if _, err := s.Users.PlanPurge(ctx, ""); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("PlanPurge(\"\") = %v, want ErrInvalid", err)
		}
	})
}

func testPurgeLeavesNoTrace(t *testing.T, s PurgeSubject) {
	ctx := context.Background()
	seed := seedPurge(t, s)
	before := snapshotAll(t, s, seed)
	if !traced(before, adaID) || !traced(before, adaName) {
		t.Fatal("the seed left no trace of Ada to purge")
	}
	// ses-2 is live: its document and records are left for later.
	want := privacy.PurgeReport{Enrollments: 1, ChatMessages: 3, Polls: 1, Submissions: 1, Intervals: 1, Attendance: 1,
		Events: 2, Audit: 3, Documents: 1, Snapshots: 1, Sessions: []string{"ses-1", "ses-2"}, OpenSessions: []string{"ses-2"}}

	plan, err := s.Users.PlanPurge(ctx, adaID)
	ok(t, err)
	want.DryRun = true
	same(t, "dry-run report", plan, want)
	if after := snapshotAll(t, s, seed); !slices.Equal(after, before) {
		t.Fatal("the dry run changed the store")
	}

	const pseudonym = "deleted-test0pseudonym"
	rep, err := s.Users.PurgeUser(ctx, adaID, pseudonym)
	ok(t, err)
	want.DryRun, want.Pseudonym = false, pseudonym
	same(t, "purge report", rep, want)
	// The live session is left as it was.
	if !traced(sessionRecords(t, s, "ses-2"), adaName) || !traced(sessionRecords(t, s, "ses-2"), adaID) {
		t.Error("the document or the records of a live session were purged")
	}

	// Once it has ended, purging again finishes the job, under a new
	// pseudonym.
	ses2, err := s.Catalog.GetSession(ctx, "ses-2")
	ok(t, err)
	ses2.State = catalog.StateEnded
	_, err = s.Catalog.PutSession(ctx, ses2)
	ok(t, err)
	rep, err = s.Users.PurgeUser(ctx, adaID, "deleted-second0run")
	ok(t, err)
	same(t, "purge report once ended", rep, privacy.PurgeReport{Pseudonym: "deleted-second0run", Submissions: 1,
		Events: 1, Documents: 1, Sessions: []string{"ses-2"}, OpenSessions: []string{}})

	after := snapshotAll(t, s, seed)
	for _, needle := range []string{adaID, adaName} {
		for _, rec := range after {
			if traced([]string{rec}, needle) {
				t.Errorf("after the purge a record holds %q: %.300s", needle, rec)
			}
		}
	}
	checkPurgeKeeps(t, s, pseudonym)

	rep, err = s.Users.PurgeUser(ctx, adaID, "deleted-third0run")
	ok(t, err)
	if rep.Total() != 0 || len(rep.Sessions) != 0 {
		t.Errorf("third purge touched %s", rep)
	}
	if again := snapshotAll(t, s, seed); !slices.Equal(again, after) {
		t.Error("the third purge changed the store")
	}
}

// checkPurgeKeeps checks what the purge kept: Bo's records as they were,
// Ada's messages as tombstones of an unnamed author, her poll under the
// pseudonym, the results, and her strokes on the board under the
// pseudonym.
func checkPurgeKeeps(t *testing.T, s PurgeSubject, pseudonym string) {
	t.Helper()
	ctx := context.Background()
	chat, err := s.Activities.ChatHistory(ctx, "ses-1", 0, 100)
	ok(t, err)
	if len(chat) != 4 || chat[0].User != boID || chat[0].Text != "Welcome" {
		t.Fatalf("chat of ses-1 = %+v", chat)
	}
	for _, m := range chat[1:3] {
		if m.User != pseudonym || m.Name != privacy.DeletedName || m.Text != "" || m.ClientID != "" || !m.Deleted() {
			t.Errorf("Ada's message after the purge = %+v", m)
		}
	}
	if chat[1].DeletedBy != pseudonym || chat[2].DeletedBy != boID || chat[3].DeletedBy != pseudonym || chat[3].User != boID {
		t.Errorf("deleted_by after the purge: %q %q %q", chat[1].DeletedBy, chat[2].DeletedBy, chat[3].DeletedBy)
	}
	ps, err := s.Activities.Polls(ctx, "ses-1")
	ok(t, err)
	if len(ps) != 2 || ps[0].CreatedBy != boID || ps[1].CreatedBy != pseudonym {
		t.Errorf("polls = %+v", ps)
	}
	for poll, wantVoters := range map[string]int{"p-1": 1, "p-3": 1} {
		subs, err := s.Activities.Submissions(ctx, poll)
		ok(t, err)
		if len(subs) != wantVoters || (poll == "p-1" && subs[0].User != boID) {
			t.Errorf("answers to %s = %+v", poll, subs)
		}
	}
	res, found, err := s.Activities.PollResults(ctx, "p-1")
	ok(t, err)
	if !found || res.Total != 2 || fmt.Sprint(res.Counts) != "[1 1]" {
		t.Errorf("results of p-1 = %+v, %v: aggregates stay", res, found)
	}
	evs, err := s.Activities.Events(ctx, "ses-1")
	ok(t, err)
	ivs, err := s.Activities.Intervals(ctx, "ses-1")
	ok(t, err)
	att, err := s.Activities.Attendance(ctx, "ses-1")
	ok(t, err)
	if len(evs) != 1 || len(ivs) != 1 || len(att) != 1 || evs[0].User != boID || ivs[0].User != boID || att[0].User != boID {
		t.Errorf("events %+v, intervals %+v, attendance %+v: Bo's only", evs, ivs, att)
	}
	enr, err := s.Catalog.ListEnrollments(ctx, "crs", catalog.Page{})
	ok(t, err)
	if len(enr) != 1 || enr[0].UserID != boID {
		t.Errorf("enrollments = %+v", enr)
	}
	audit, err := s.Audit.List(ctx, catalog.AuditQuery{Limit: catalog.MaxAuditLimit})
	ok(t, err)
	named := 0
	for _, e := range audit {
		if e.ActorID == pseudonym || e.TargetID == pseudonym {
			named++
		}
	}
	if len(audit) != 4 || named != 3 {
		t.Errorf("audit log = %+v: want 4 entries, 3 of them naming the pseudonym", audit)
	}
	if _, err := s.Catalog.GetSession(ctx, "ses-1"); err != nil {
		t.Errorf("the session's catalog row: %v", err)
	}

	saved, err := s.Docs.LoadDoc(ctx, "ses-1")
	ok(t, err)
	d, err := crdt.Load(saved)
	ok(t, err)
	st, err := d.State()
	ok(t, err)
	if len(st.Presence) != 1 || len(st.Hands) != 1 || st.Hands[boID] != 3100 || len(st.Board) != 3 {
		t.Errorf("redacted document = %+v", st)
	}
	if s1, s2 := st.Board[pseudonym+"-s1"], st.Board[pseudonym+"-s2"]; s1.Author != pseudonym || s2.Author != pseudonym ||
		s2.Text != "x = 4" || len(s1.Points) != 4 || st.Board["bo-s1"].Author != boID {
		t.Errorf("board after the purge = %+v", st.Board)
	}
	snap, found, err := s.Snapshots.LatestSnapshot(ctx, "ses-1")
	ok(t, err)
	var sst crdt.State
	if !found || json.Unmarshal(snap.State, &sst) != nil || sst.Board[pseudonym+"-s1"].Author != pseudonym ||
		len(sst.Presence) != 1 || len(sst.Hands) != 1 {
		t.Errorf("snapshot after the purge = %s", snap.State)
	}
}

// snapshotAll reads everything the subject holds about the seeded
// sessions and polls through its read methods, documents with their
// compressed parts inflated, plus Dump's rows, each record as text.
// Equal results mean an unchanged store.
func snapshotAll(t *testing.T, s PurgeSubject, seed purgeSeed) []string {
	t.Helper()
	ctx := context.Background()
	r := &recorder{t: t}
	ins, err := s.Catalog.ListInstitutions(ctx, catalog.Page{})
	r.add("institutions", ins, err)
	crs, err := s.Catalog.ListCourses(ctx, "", catalog.Page{})
	r.add("courses", crs, err)
	ses, err := s.Catalog.ListSessions(ctx, "", catalog.Page{})
	r.add("sessions", ses, err)
	enr, err := s.Catalog.ListEnrollments(ctx, "crs", catalog.Page{})
	r.add("enrollments", enr, err)
	audit, err := s.Audit.List(ctx, catalog.AuditQuery{Limit: catalog.MaxAuditLimit})
	r.add("audit", inUTC(audit), err)
	for _, id := range seed.sessions {
		r.out = append(r.out, sessionRecords(t, s, id)...)
	}
	for _, id := range seed.polls {
		subs, err := s.Activities.Submissions(ctx, id)
		r.add("submissions", subs, err)
		res, _, err := s.Activities.PollResults(ctx, id)
		r.add("results", res, err)
	}
	if s.Dump != nil {
		r.out = append(r.out, s.Dump(t)...)
	}
	return r.out
}

// sessionRecords reads what the subject holds of one session (but its
// polls' answers and results), as snapshotAll does.
func sessionRecords(t *testing.T, s PurgeSubject, id string) []string {
	t.Helper()
	ctx := context.Background()
	r := &recorder{t: t}
	chat, err := s.Activities.ChatHistory(ctx, id, 0, 1000)
	r.add("chat", chat, err)
	ps, err := s.Activities.Polls(ctx, id)
	r.add("polls", ps, err)
	evs, err := s.Activities.Events(ctx, id)
	r.add("events", evs, err)
	ivs, err := s.Activities.Intervals(ctx, id)
	r.add("intervals", ivs, err)
	att, err := s.Activities.Attendance(ctx, id)
	r.add("attendance", att, err)
	audit, err := s.Audit.List(ctx, catalog.AuditQuery{SessionID: id, Limit: catalog.MaxAuditLimit})
	r.add("audit", inUTC(audit), err)
	snap, _, err := s.Snapshots.LatestSnapshot(ctx, id)
	r.add("snapshot", snap, err)
	r.out = append(r.out, "snapshot state "+string(snap.State))
	saved, err := s.Docs.LoadDoc(ctx, id)
	ok(t, err)
	if saved == nil {
		return r.out
	}
	plain, err := crdt.Uncompressed(saved)
	ok(t, err)
	r.out = append(r.out, "document "+string(plain))
	d, err := crdt.Load(saved)
	ok(t, err)
	js, err := d.JSON()
	r.add("document state", json.RawMessage(js), err)
	return r.out
}

// traced reports whether any record holds needle, as text or (for bytes
// a database renders in hex) hex-encoded.
func traced(records []string, needle string) bool {
	h := hex.EncodeToString([]byte(needle))
	for _, r := range records {
		if strings.Contains(r, needle) || strings.Contains(strings.ToLower(r), h) {
			return true
		}
	}
	return false
}

// recorder collects records as text, each a label and the record's JSON.
type recorder struct {
	t   *testing.T
	out []string
}

// add records v as what, failing the test if err is not nil.
func (r *recorder) add(what string, v any, err error) {
	r.t.Helper()
	ok(r.t, err)
	b, err := json.Marshal(v)
	ok(r.t, err)
	r.out = append(r.out, what+" "+string(b))
}

// inUTC returns audit with its times in UTC, so that the text of an
// entry does not depend on the zone a store reads times back in.
func inUTC(audit []catalog.AuditEntry) []catalog.AuditEntry {
	for i := range audit {
		audit[i].At = audit[i].At.UTC()
	}
	return audit
}
