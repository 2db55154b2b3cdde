package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeSessions implements privacy.SessionPurger in one transaction.
func (s *Store) PurgeSessions(ctx context.Context, sessions []string) (privacy.SessionReport, error) {
	var rep privacy.SessionReport
	if len(sessions) == 0 {
		return rep, nil
	}
	err := s.retryTx(ctx, func(tx pgx.Tx) error {
		rep = privacy.SessionReport{}
		err := tx.QueryRow(ctx, `SELECT count(*) FROM (
			SELECT session_id FROM session_documents WHERE session_id = ANY($1)
			UNION SELECT session_id FROM session_changes WHERE session_id = ANY($1)
			UNION SELECT session_id FROM session_snapshots WHERE session_id = ANY($1)
			UNION SELECT session_id FROM chat_messages WHERE session_id = ANY($1)
			UNION SELECT session_id FROM polls WHERE session_id = ANY($1)
			UNION SELECT session_id FROM poll_submissions WHERE session_id = ANY($1)
			UNION SELECT session_id FROM attendance_intervals WHERE session_id = ANY($1)
			UNION SELECT session_id FROM attendance_records WHERE session_id = ANY($1)
			UNION SELECT session_id FROM session_events WHERE session_id = ANY($1)
			UNION SELECT session_id FROM audit_log WHERE session_id = ANY($1)) AS had`, sessions).Scan(&rep.Sessions)
		if err != nil {
			return err
		}
		for _, d := range []struct {
			n     *int
			query string
		}{
			{&rep.Documents, `DELETE FROM session_documents WHERE session_id = ANY($1)`},
			{&rep.Changes, `DELETE FROM session_changes WHERE session_id = ANY($1)`},
			{&rep.Snapshots, `DELETE FROM session_snapshots WHERE session_id = ANY($1)`},
			{&rep.ChatMessages, `DELETE FROM chat_messages WHERE session_id = ANY($1)`},
			{&rep.Results, `DELETE FROM poll_results WHERE poll_id IN (SELECT id FROM polls WHERE session_id = ANY($1))`},
			{&rep.Polls, `DELETE FROM polls WHERE session_id = ANY($1)`},
			{&rep.Submissions, `DELETE FROM poll_submissions WHERE session_id = ANY($1)`},
			{&rep.Intervals, `DELETE FROM attendance_intervals WHERE session_id = ANY($1)`},
			{&rep.Attendance, `DELETE FROM attendance_records WHERE session_id = ANY($1)`},
			{&rep.Events, `DELETE FROM session_events WHERE session_id = ANY($1)`},
			{&rep.Audit, `DELETE FROM audit_log WHERE session_id = ANY($1)`},
		} {
			tag, err := tx.Exec(ctx, d.query, sessions)
			if err != nil {
				return err
			}
			*d.n = int(tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		return privacy.SessionReport{}, fmt.Errorf("failed to purge %d sessions: %w", len(sessions), err)
	}
	return rep, nil
}

// Interface guards.
var (
	_ privacy.UserPurger    = (*Store)(nil)
	_ privacy.SessionPurger = (*Store)(nil)
)
