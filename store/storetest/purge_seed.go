package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeSubject is a store under the purge suites, with what they need to
// seed and inspect it. A durable store is all of these at once; the memory
// store is a store.Memory and a catalog.Memory (store.MemoryPurge).
type PurgeSubject struct {
	Catalog    catalog.Catalog
	Audit      catalog.AuditLog
	Docs       rooms.DocStore
	Snapshots  rooms.SnapshotStore
	Activities activities.Store
	Users      privacy.UserPurger
	Sessions   privacy.SessionPurger
	// Dump, if set, returns every row of every table as text (bytes as
	// the database renders them), for the search for traces; the suites
	// also read everything through the interfaces above.
	Dump func(t *testing.T) []string
}

// The people of the seeded sessions. Ada is purged; her id and name are
// what no table may hold afterwards.
const (
	adaID   = "u-ada-4417"
	adaName = "Ada Quillfeather"
	boID    = "u-bo-9021"
	boName  = "Bo Marchetti"
)

// purgeSeed records what the seed wrote where, for the checks.
type purgeSeed struct {
	sessions []string // ses-1 (ended), ses-2 (live), ses-3 (ended, without Ada)
	polls    []string // p-1 by Bo (Ada answered), p-2 by Ada, p-3 anonymous and open (Ada answered)
}

// seedPurge writes Ada and Bo into every table: institution ins, course
// crs (both enrolled), sessions ses-1 and ses-2 with chat, polls, answers,
// events, connections, attendance, audit entries, a document (saved, with
// changes appended since) and a snapshot, and ses-3 where only Bo was.
func seedPurge(t *testing.T, s PurgeSubject) purgeSeed {
	t.Helper()
	ctx := context.Background()
	_, err := s.Catalog.PutInstitution(ctx, catalog.Institution{ID: "ins", Name: "District"})
	ok(t, err)
	_, err = s.Catalog.PutCourse(ctx, catalog.Course{ID: "crs", InstitutionID: "ins", Name: "Algebra"})
	ok(t, err)
	for id, state := range map[string]catalog.State{"ses-1": catalog.StateEnded, "ses-2": catalog.StateLive, "ses-3": catalog.StateEnded} {
		_, err := s.Catalog.PutSession(ctx, catalog.Session{ID: id, CourseID: "crs", Title: "Lesson " + id,
			StartsAt: at0, EndsAt: at(time.Hour), State: state})
		ok(t, err)
	}
	for _, e := range []catalog.Enrollment{{CourseID: "crs", UserID: adaID, Role: catalog.RoleStudent},
		{CourseID: "crs", UserID: boID, Role: catalog.RoleTeacher}} {
		_, err := s.Catalog.PutEnrollment(ctx, e)
		ok(t, err)
	}
	for _, e := range []catalog.AuditEntry{
		{ActorID: "admin", ActorRole: "admin", Action: "enrollment.put", TargetID: adaID, Detail: "course=crs role=student"},
		{ActorID: adaID, ActorRole: "student", Action: "hand.raise", SessionID: "ses-1"},
		{ActorID: boID, ActorRole: "teacher", Action: "member.mute", SessionID: "ses-1", TargetID: adaID},
		{ActorID: boID, ActorRole: "teacher", Action: "board.lock", SessionID: "ses-3"},
	} {
		ok(t, s.Audit.Record(ctx, e))
	}

	ok(t, s.Activities.AppendChat(ctx, []activities.ChatMessage{
		{Session: "ses-1", Seq: 1, ClientID: "c-bo-1", User: boID, Name: boName, Role: "teacher", Text: "Welcome", SentAt: at(time.Minute)},
		{Session: "ses-1", Seq: 2, ClientID: "c-" + adaID + "-2", User: adaID, Name: adaName, Role: "student", Text: "hello from " + adaName, SentAt: at(2 * time.Minute)},
		{Session: "ses-1", Seq: 3, ClientID: "c-3", User: adaID, Name: adaName, Role: "student", Text: "oops", SentAt: at(3 * time.Minute)},
		{Session: "ses-1", Seq: 4, ClientID: "c-4", User: boID, Name: boName, Role: "teacher", Text: "off topic", SentAt: at(4 * time.Minute)},
		{Session: "ses-3", Seq: 1, ClientID: "c-5", User: boID, Name: boName, Role: "teacher", Text: "Bo alone", SentAt: at(time.Minute)},
	}))
	ok(t, s.Activities.DeleteChat(ctx, "ses-1", 3, boID, at(5*time.Minute)))
	ok(t, s.Activities.DeleteChat(ctx, "ses-1", 4, adaID, at(6*time.Minute))) // Ada moderated once

	one := 1.0
	p1 := activities.Poll{ID: "p-1", Session: "ses-1", CreatedBy: boID, Kind: activities.KindSingle, Question: "2+2?",
		Options: []string{"3", "4"}, Correct: []int{1}, OpenedAt: at(10 * time.Minute)}
	p2 := activities.Poll{ID: "p-2", Session: "ses-1", CreatedBy: adaID, Kind: activities.KindYesNo, Question: "Break?",
		Options: []string{"Yes", "No"}, OpenedAt: at(20 * time.Minute)}
	p3 := activities.Poll{ID: "p-3", Session: "ses-2", CreatedBy: boID, Kind: activities.KindYesNo, Question: "Secret?",
		Options: []string{"Yes", "No"}, Anonymous: true, OpenedAt: at(30 * time.Minute), BallotKey: polls.NewBallotKey()}
	for _, p := range []activities.Poll{p1, p2, p3} {
		ok(t, s.Activities.SavePoll(ctx, p))
	}
	_, err = s.Activities.SubmitAnswers(ctx, []activities.Submission{
		{Poll: "p-1", Session: "ses-1", Voter: adaID, User: adaID, AttemptID: "a-" + adaID, Choices: []int{1}, Score: &one, SubmittedAt: at(11 * time.Minute)},
		{Poll: "p-1", Session: "ses-1", Voter: boID, User: boID, AttemptID: "a-bo", Choices: []int{0}, SubmittedAt: at(11 * time.Minute)},
		{Poll: "p-3", Session: "ses-2", Voter: polls.Voter(p3, adaID), AttemptID: "a-secret", Choices: []int{0}, SubmittedAt: at(31 * time.Minute)},
		{Poll: "p-3", Session: "ses-2", Voter: polls.Voter(p3, boID), AttemptID: "a-secret-bo", Choices: []int{1}, SubmittedAt: at(31 * time.Minute)},
	})
	ok(t, err)
	p1.ClosedAt = at(12 * time.Minute)
	ok(t, s.Activities.SavePoll(ctx, p1))
	ok(t, s.Activities.SaveResults(ctx, activities.Results{Poll: "p-1", Counts: []int{1, 1}, Total: 2, Correct: []int{1},
		CorrectCount: 1, ComputedAt: at(12 * time.Minute)}))

	ok(t, s.Activities.AppendEvents(ctx, []activities.Event{
		{Session: "ses-1", User: adaID, Kind: activities.EventJoin, At: at(time.Minute)},
		{Session: "ses-1", User: adaID, Kind: activities.EventChat, At: at(2 * time.Minute)},
		{Session: "ses-1", User: boID, Kind: activities.EventJoin, At: at(0)},
		{Session: "ses-2", User: adaID, Kind: activities.EventJoin, At: at(30 * time.Minute)},
	}))
	ok(t, s.Activities.AppendIntervals(ctx, []activities.Interval{
		{Session: "ses-1", User: adaID, Role: "student", JoinedAt: at(time.Minute), LeftAt: at(time.Hour)},
		{Session: "ses-1", User: boID, Role: "teacher", JoinedAt: at(0), LeftAt: at(time.Hour)},
	}))
	ok(t, s.Activities.SaveAttendance(ctx, "ses-1", []activities.AttendanceRecord{
		{Session: "ses-1", User: adaID, Name: adaName, Role: "student", FirstJoin: at(time.Minute), LastLeave: at(time.Hour),
			ConnectedSeconds: 3540, ActiveSeconds: 3000, Engagement: map[string]int{"chat": 2}, Status: activities.StatusPresent,
			Evidence: "on time", ComputedAt: at(time.Hour), Final: true},
		{Session: "ses-1", User: boID, Name: boName, Role: "teacher", FirstJoin: at(0), LastLeave: at(time.Hour),
			ConnectedSeconds: 3600, ActiveSeconds: 3600, Status: activities.StatusPresent, ComputedAt: at(time.Hour), Final: true},
	}))

	seedDocuments(t, s)
	return purgeSeed{sessions: []string{"ses-1", "ses-2", "ses-3"}, polls: []string{"p-1", "p-2", "p-3"}}
}

// seedDocuments saves ses-1's document with Ada and Bo in presence and
// hands and strokes of both, then appends a change in which Ada draws
// again; takes its snapshot; saves ses-2's, with Ada present; and
// ses-3's, with Bo alone.
func seedDocuments(t *testing.T, s PurgeSubject) {
	t.Helper()
	ctx := context.Background()
	d, err := crdt.New("ses-1")
	ok(t, err)
	ok(t, d.SetPresence(adaID, crdt.Presence{Name: adaName, Role: crdt.RoleStudent, JoinedAt: 1000, Status: crdt.StatusOffline, LeftAt: 9000}))
	ok(t, d.SetPresence(boID, crdt.Presence{Name: boName, Role: crdt.RoleTeacher, JoinedAt: 900, Status: crdt.StatusOnline}))
	ok(t, d.AddStroke(crdt.Stroke{ID: adaID + "-s1", Author: adaID, Tool: crdt.ToolPen, Color: "#ff0000", Width: 2, Points: []float64{1, 1, 2, 2}, Created: 2000}))
	ok(t, d.AddStroke(crdt.Stroke{ID: "bo-s1", Author: boID, Tool: crdt.ToolPen, Color: "#0000ff", Width: 2, Points: []float64{3, 3}, Created: 2100}))
	ok(t, d.RaiseHand(adaID, 3000))
	ok(t, d.RaiseHand(boID, 3100))
	_, err = d.Commit("seed")
	ok(t, err)
	ok(t, s.Docs.SaveDoc(ctx, "ses-1", d.Save()))
	snap, err := crdt.RenderSnapshot("ses-1", d.Save(), at(time.Hour))
	ok(t, err)
	ok(t, s.Snapshots.SaveSnapshot(ctx, snap))
	ok(t, d.AddStroke(crdt.Stroke{ID: adaID + "-s2", Author: adaID, Tool: crdt.ToolText, Color: "#000000", Width: 1, Points: []float64{4, 4}, Text: "x = 4", Created: 4000}))
	a, err := d.Commit("later")
	ok(t, err)
	ok(t, s.Docs.AppendChanges(ctx, "ses-1", a.Chunks))

	// ses-2 is live: its document holds Ada too, and a node may hold it.
	live, err := crdt.New("ses-2")
	ok(t, err)
	ok(t, live.SetPresence(adaID, crdt.Presence{Name: adaName, Role: crdt.RoleStudent, JoinedAt: 1000, Status: crdt.StatusOnline}))
	ok(t, live.RaiseHand(adaID, 3000))
	_, err = live.Commit("seed")
	ok(t, err)
	ok(t, s.Docs.SaveDoc(ctx, "ses-2", live.Save()))

	other, err := crdt.New("ses-3")
	ok(t, err)
	ok(t, other.SetPresence(boID, crdt.Presence{Name: boName, Role: crdt.RoleTeacher, JoinedAt: 900, Status: crdt.StatusOffline, LeftAt: 5000}))
	_, err = other.Commit("seed")
	ok(t, err)
	ok(t, s.Docs.SaveDoc(ctx, "ses-3", other.Save()))
	snap, err = crdt.RenderSnapshot("ses-3", other.Save(), at(time.Hour))
	ok(t, err)
	ok(t, s.Snapshots.SaveSnapshot(ctx, snap))
}
