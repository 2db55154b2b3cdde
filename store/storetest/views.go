package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// SeedAnalystViews writes what the tests of the analysts' views
// (docs/analytics.md) read, all in session ses-1 on 2026-11-30: u-1's
// message "hello" at 09:00 and u-2's at 09:00:01, deleted by u-t at
// 09:01; the anonymous yes/no poll p-1 of u-t, opened at 09:00 with a
// ballot key and closed at 09:02 with results 20 to 5; and u-1's final
// attendance, present for 2940 s (2700 s active) with one chat. It
// returns the closed poll.
func SeedAnalystViews(t *testing.T, s activities.Store) activities.Poll {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{
		{Session: "ses-1", Seq: 1, User: "u-1", Name: "Ada", Role: "student", Text: "hello", SentAt: t0},
		{Session: "ses-1", Seq: 2, User: "u-2", Name: "Bob", Role: "student", Text: "rude", SentAt: t0.Add(time.Second)},
	}))
	ok(t, s.DeleteChat(ctx, "ses-1", 2, "u-t", t0.Add(time.Minute)))
	poll := activities.Poll{ID: "p-1", Session: "ses-1", CreatedBy: "u-t", Kind: activities.KindYesNo, Question: "Ready?",
		Options: []string{"Yes", "No"}, Anonymous: true, OpenedAt: t0, BallotKey: []byte("secret")}
	ok(t, s.SavePoll(ctx, poll))
	poll.ClosedAt = t0.Add(2 * time.Minute)
	ok(t, s.SavePoll(ctx, poll))
	ok(t, s.SaveResults(ctx, activities.Results{Poll: "p-1", Counts: []int{20, 5}, Total: 25, ComputedAt: poll.ClosedAt}))
	ok(t, s.SaveAttendance(ctx, "ses-1", []activities.AttendanceRecord{{User: "u-1", Role: "student", FirstJoin: t0,
		LastLeave: t0.Add(50 * time.Minute), ConnectedSeconds: 2940, ActiveSeconds: 2700,
		Engagement: map[string]int{"chat": 1}, Status: activities.StatusPresent, ComputedAt: t0.Add(time.Hour), Final: true}}))
	return poll
}

// CheckAnalystTables checks what the tables under the analysts' views
// keep of the records of SeedAnalystViews: the deleted message without
// its body, the closed poll without its ballot key. queryRow runs a query
// of one row in the store's database and scans the row into dest.
func CheckAnalystTables(t *testing.T, queryRow func(query string, dest ...any) error) {
	t.Helper()
	var raw string
	ok(t, queryRow(`SELECT body FROM chat_messages WHERE session_id = 'ses-1' AND seq = 2`, &raw))
	if raw != "" {
		t.Fatalf("deleted message's body in the table = %q", raw)
	}
	var keyNull bool
	ok(t, queryRow(`SELECT ballot_key IS NULL FROM polls WHERE id = 'p-1'`, &keyNull))
	if !keyNull {
		t.Fatal("closed poll kept its ballot key")
	}
}

// Must returns a function that fails t at once if its argument is an
// error, for the setup steps and queries of a test.
func Must(t *testing.T) func(err error) {
	return func(err error) {
		t.Helper()
		ok(t, err)
	}
}
