package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// TestSessionsView reads one session through sessions_view, the analysts'
// stable view, column by column.
func TestSessionsView(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	seedSessionsView(t, s)
	var (
		id, title, state, course, courseName, inst, instName string
		startsAt, endsAt                                     string
		participants, attended, polls, chat                  int
		lastSnapshot                                         *string
	)
	err := s.db.QueryRowContext(ctx, `SELECT session_id, title, state, starts_at, ends_at, course_id, course_name,
		institution_id, institution_name, participants, attended, polls, chat_messages, last_snapshot_at
		FROM sessions_view WHERE session_id = 'view-1'`).Scan(&id, &title, &state, &startsAt, &endsAt, &course, &courseName,
		&inst, &instName, &participants, &attended, &polls, &chat, &lastSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	if title != "Fractions" || state != "ended" || startsAt != "2026-11-30T09:00:00.000Z" || endsAt != "2026-11-30T10:00:00.000Z" ||
		course != "view-course" || courseName != "Maths" || inst != "view-inst" || instName != "View District" {
		t.Errorf("session columns: %s %s %s %v %v %s %s %s %s", id, title, state, startsAt, endsAt, course, courseName, inst, instName)
	}
	if participants != 2 || attended != 1 || polls != 1 || chat != 2 || lastSnapshot != nil {
		t.Errorf("counts: participants %d attended %d polls %d chat %d snapshot %v; want 2 1 1 2 nil",
			participants, attended, polls, chat, lastSnapshot)
	}
}

func seedSessionsView(t *testing.T, s *Store) time.Time {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.PutInstitution(ctx, catalog.Institution{ID: "view-inst", Name: "View District"})
	must(err)
	_, err = s.PutCourse(ctx, catalog.Course{ID: "view-course", InstitutionID: "view-inst", Name: "Maths"})
	must(err)
	_, err = s.PutSession(ctx, catalog.Session{ID: "view-1", CourseID: "view-course", Title: "Fractions",
		StartsAt: start, EndsAt: start.Add(time.Hour), State: catalog.StateEnded})
	must(err)
	must(s.AppendChat(ctx, []activities.ChatMessage{
		{Session: "view-1", Seq: 1, ClientID: "a", User: "u1", Name: "A", Role: "student", Text: "hi", SentAt: start},
		{Session: "view-1", Seq: 2, ClientID: "b", User: "u2", Name: "B", Role: "student", Text: "hello", SentAt: start},
	}))
	must(s.SavePoll(ctx, activities.Poll{ID: "view-p", Session: "view-1", CreatedBy: "t", Kind: activities.KindYesNo,
		Question: "Ok?", Options: []string{"Yes", "No"}, OpenedAt: start}))
	must(s.SaveAttendance(ctx, "view-1", []activities.AttendanceRecord{
		{Session: "view-1", User: "u1", Role: "student", Status: activities.StatusPresent, Engagement: map[string]int{}, ComputedAt: start},
		{Session: "view-1", User: "u2", Role: "student", Status: activities.StatusAbsent, Engagement: map[string]int{}, ComputedAt: start},
	}))
	return start
}
