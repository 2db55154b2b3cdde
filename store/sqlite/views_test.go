package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// TestAnalystViews checks the analysts' views of docs/analytics.md and
// what the tables under them keep of deleted messages and closed polls.
func TestAnalystViews(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AppendChat(ctx, []activities.ChatMessage{
		{Session: "ses-1", Seq: 1, User: "u-1", Name: "Ada", Role: "student", Text: "hello", SentAt: t0},
		{Session: "ses-1", Seq: 2, User: "u-2", Name: "Bob", Role: "student", Text: "rude", SentAt: t0.Add(time.Second)},
	}))
	must(s.DeleteChat(ctx, "ses-1", 2, "u-t", t0.Add(time.Minute)))
	poll := activities.Poll{ID: "p-1", Session: "ses-1", CreatedBy: "u-t", Kind: activities.KindYesNo, Question: "Ready?",
		Options: []string{"Yes", "No"}, Anonymous: true, OpenedAt: t0, BallotKey: []byte("secret")}
	must(s.SavePoll(ctx, poll))
	poll.ClosedAt = t0.Add(2 * time.Minute)
	must(s.SavePoll(ctx, poll))
	must(s.SaveResults(ctx, activities.Results{Poll: "p-1", Counts: []int{20, 5}, Total: 25, ComputedAt: poll.ClosedAt}))
	must(s.SaveAttendance(ctx, "ses-1", []activities.AttendanceRecord{{User: "u-1", Role: "student", FirstJoin: t0,
		LastLeave: t0.Add(50 * time.Minute), ConnectedSeconds: 2940, ActiveSeconds: 2700,
		Engagement: map[string]int{"chat": 1}, Status: activities.StatusPresent, ComputedAt: t0.Add(time.Hour), Final: true}}))

	var bodies []sql.NullString
	var sentAt []string
	rows, err := s.db.QueryContext(ctx, `SELECT body, sent_at FROM chat_transcript WHERE session_id = 'ses-1' ORDER BY seq`)
	must(err)
	for rows.Next() {
		var b sql.NullString
		var at string
		must(rows.Scan(&b, &at))
		bodies, sentAt = append(bodies, b), append(sentAt, at)
	}
	must(rows.Err())
	if len(bodies) != 2 || bodies[0].String != "hello" || bodies[1].Valid || sentAt[1] != "2026-11-30T09:00:01.000Z" {
		t.Fatalf("transcript = %v at %v", bodies, sentAt)
	}
	var raw string
	must(s.db.QueryRowContext(ctx, `SELECT body FROM chat_messages WHERE session_id = 'ses-1' AND seq = 2`).Scan(&raw))
	if raw != "" {
		t.Fatalf("deleted message's body in the table = %q", raw)
	}

	var keyNull bool
	must(s.db.QueryRowContext(ctx, `SELECT ballot_key IS NULL FROM polls WHERE id = 'p-1'`).Scan(&keyNull))
	if !keyNull {
		t.Fatal("closed poll kept its ballot key")
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE polls SET ballot_key = x'01' WHERE id = 'p-1'`); !isConstraint(err) {
		t.Fatalf("storing a key on a closed poll: err = %v, want a check violation", err)
	}

	var question, counts, closed string
	var total int
	must(s.db.QueryRowContext(ctx, `SELECT question, counts, total, closed_at FROM poll_results_view WHERE poll_id = 'p-1'`).
		Scan(&question, &counts, &total, &closed))
	if question != "Ready?" || counts != "[20,5]" || total != 25 || closed != "2026-11-30T09:02:00.000Z" {
		t.Fatalf("poll_results_view = %q %s %d %s", question, counts, total, closed)
	}

	var status, engagement, firstJoin string
	var connected, active float64
	must(s.db.QueryRowContext(ctx, `SELECT status, connected_minutes, active_minutes, engagement, first_join FROM attendance_view
		WHERE session_id = 'ses-1' AND user_id = 'u-1'`).Scan(&status, &connected, &active, &engagement, &firstJoin))
	if status != "present" || connected != 49 || active != 45 || engagement != `{"chat":1}` || firstJoin != "2026-11-30T09:00:00.000Z" {
		t.Fatalf("attendance_view = %s %v %v %s %s", status, connected, active, engagement, firstJoin)
	}
}
