package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

// TestAnalystViews checks the analysts' views of docs/analytics.md and
// what the tables under them keep of deleted messages and closed polls.
func TestAnalystViews(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	poll := storetest.SeedAnalystViews(t, s)
	must := storetest.Must(t)

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
	storetest.CheckAnalystTables(t, func(query string, dest ...any) error {
		return s.pool.QueryRow(ctx, query).Scan(dest...)
	})
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
