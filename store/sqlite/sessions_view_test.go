package sqlite

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

// TestSessionsView reads one session through sessions_view, the analysts'
// stable view, column by column.
func TestSessionsView(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	storetest.SeedSessionsView(t, s)
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
