package sqlite

import (
	"context"
	"database/sql"
	"testing"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

// TestAnalystViews checks the analysts' views of docs/analytics.md and
// what the tables under them keep of deleted messages and closed polls.
func TestAnalystViews(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	storetest.SeedAnalystViews(t, s)
	must := storetest.Must(t)

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
	storetest.CheckAnalystTables(t, func(query string, dest ...any) error {
		return s.db.QueryRowContext(ctx, query).Scan(dest...)
	})
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
