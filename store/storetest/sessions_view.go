package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// SessionsViewStore is what SeedSessionsView writes to: a durable store's
// catalog and activity records.
type SessionsViewStore interface {
	catalog.Catalog
	activities.Store
}

// SeedSessionsView writes what the tests of sessions_view read: session
// view-1, "Fractions", of course view-course ("Maths") of institution
// view-inst ("View District"), ended, scheduled 2026-11-30 09:00–10:00
// UTC, with two chat messages, one poll and two attendance records, one
// present and one absent. It returns the scheduled start.
func SeedSessionsView(t *testing.T, s SessionsViewStore) time.Time {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	_, err := s.PutInstitution(ctx, catalog.Institution{ID: "view-inst", Name: "View District"})
	ok(t, err)
	_, err = s.PutCourse(ctx, catalog.Course{ID: "view-course", InstitutionID: "view-inst", Name: "Maths"})
	ok(t, err)
	_, err = s.PutSession(ctx, catalog.Session{ID: "view-1", CourseID: "view-course", Title: "Fractions",
		StartsAt: start, EndsAt: start.Add(time.Hour), State: catalog.StateEnded})
	ok(t, err)
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{
		{Session: "view-1", Seq: 1, ClientID: "a", User: "u1", Name: "A", Role: "student", Text: "hi", SentAt: start},
		{Session: "view-1", Seq: 2, ClientID: "b", User: "u2", Name: "B", Role: "student", Text: "hello", SentAt: start},
	}))
	ok(t, s.SavePoll(ctx, activities.Poll{ID: "view-p", Session: "view-1", CreatedBy: "t", Kind: activities.KindYesNo,
		Question: "Ok?", Options: []string{"Yes", "No"}, OpenedAt: start}))
	ok(t, s.SaveAttendance(ctx, "view-1", []activities.AttendanceRecord{
		{Session: "view-1", User: "u1", Role: "student", Status: activities.StatusPresent, Engagement: map[string]int{}, ComputedAt: start},
		{Session: "view-1", User: "u2", Role: "student", Status: activities.StatusAbsent, Engagement: map[string]int{}, ComputedAt: start},
	}))
	return start
}
