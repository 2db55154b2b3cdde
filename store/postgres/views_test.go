package postgres

import (
	"context"
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

	var bodies []*string
	rows, err := s.pool.Query(ctx, `SELECT body FROM chat_transcript WHERE session_id = 'ses-1' ORDER BY seq`)
	must(err)
	for rows.Next() {
		var b *string
		must(rows.Scan(&b))
		bodies = append(bodies, b)
	}
	must(rows.Err())
	if len(bodies) != 2 || bodies[0] == nil || *bodies[0] != "hello" || bodies[1] != nil {
		t.Fatalf("transcript bodies = %v", bodies)
	}
	var raw string
	must(s.pool.QueryRow(ctx, `SELECT body FROM chat_messages WHERE session_id = 'ses-1' AND seq = 2`).Scan(&raw))
	if raw != "" {
		t.Fatalf("deleted message's body in the table = %q", raw)
	}

	var keyNull bool
	must(s.pool.QueryRow(ctx, `SELECT ballot_key IS NULL FROM polls WHERE id = 'p-1'`).Scan(&keyNull))
	if !keyNull {
		t.Fatal("closed poll kept its ballot key")
	}
	if _, err := s.pool.Exec(ctx, `UPDATE polls SET ballot_key = 'x' WHERE id = 'p-1'`); !isCode(err, "23514") {
		t.Fatalf("storing a key on a closed poll: err = %v, want a check violation", err)
	}

	var question string
	var counts []int
	var total int
	var closed time.Time
	must(s.pool.QueryRow(ctx, `SELECT question, counts, total, closed_at FROM poll_results_view WHERE poll_id = 'p-1'`).
		Scan(&question, &counts, &total, &closed))
	if question != "Ready?" || len(counts) != 2 || counts[0] != 20 || total != 25 || !closed.Equal(poll.ClosedAt) {
		t.Fatalf("poll_results_view = %q %v %d %v", question, counts, total, closed)
	}

	var status string
	var connected, active float64
	var engagement map[string]int
	must(s.pool.QueryRow(ctx, `SELECT status, connected_minutes, active_minutes, engagement FROM attendance_view
		WHERE session_id = 'ses-1' AND user_id = 'u-1'`).Scan(&status, &connected, &active, &engagement))
	if status != "present" || connected != 49 || active != 45 || engagement["chat"] != 1 {
		t.Fatalf("attendance_view = %s %v %v %v", status, connected, active, engagement)
	}
}
