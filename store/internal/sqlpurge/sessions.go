package sqlpurge

import (
	"context"
	"fmt"
	"strings"

	"github.com/homeroom-edu/homeroom/store/privacy"
)

// sessionTables are the tables that keep sessions' data in a session_id
// column (poll_results keeps it by poll).
var sessionTables = []string{"session_documents", "session_changes", "session_snapshots", "chat_messages", "polls",
	"poll_submissions", "attendance_intervals", "attendance_records", "session_events", "audit_log"}

// PurgeSessions implements privacy.SessionPurger over db, in one
// transaction. in is the database's condition on a session_id column
// that matches the sessions, the one argument of every statement (as
// " = ANY($1)").
func PurgeSessions(ctx context.Context, db DB, in string, sessions []string) (privacy.SessionReport, error) {
	var rep privacy.SessionReport
	if len(sessions) == 0 {
		return rep, nil
	}
	had := make([]string, len(sessionTables))
	for i, table := range sessionTables {
		had[i] = "SELECT session_id FROM " + table + " WHERE session_id" + in
	}
	count := "SELECT count(*) FROM (" + strings.Join(had, " UNION ") + ") AS had"
	err := db.Tx(ctx, func(tx Tx) (err error) {
		rep = privacy.SessionReport{}
		if rep.Sessions, err = tx.Count(ctx, count, sessions); err != nil {
			return err
		}
		for _, d := range []struct {
			n         *int
			statement string
		}{
			{&rep.Documents, `DELETE FROM session_documents WHERE session_id` + in},
			{&rep.Changes, `DELETE FROM session_changes WHERE session_id` + in},
			{&rep.Snapshots, `DELETE FROM session_snapshots WHERE session_id` + in},
			{&rep.ChatMessages, `DELETE FROM chat_messages WHERE session_id` + in},
			{&rep.Results, `DELETE FROM poll_results WHERE poll_id IN (SELECT id FROM polls WHERE session_id` + in + `)`},
			{&rep.Polls, `DELETE FROM polls WHERE session_id` + in},
			{&rep.Submissions, `DELETE FROM poll_submissions WHERE session_id` + in},
			{&rep.Intervals, `DELETE FROM attendance_intervals WHERE session_id` + in},
			{&rep.Attendance, `DELETE FROM attendance_records WHERE session_id` + in},
			{&rep.Events, `DELETE FROM session_events WHERE session_id` + in},
			{&rep.Audit, `DELETE FROM audit_log WHERE session_id` + in},
		} {
			if *d.n, err = tx.Delete(ctx, d.statement, sessions); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return privacy.SessionReport{}, fmt.Errorf("failed to purge %d sessions: %w", len(sessions), err)
	}
	return rep, nil
}
