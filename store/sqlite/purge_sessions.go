package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeroom-edu/homeroom/store/privacy"
)

// inSessions matches a session_id column against the JSON array ?1.
const inSessions = ` IN (SELECT value FROM json_each(?1))`

// PurgeSessions implements privacy.SessionPurger in one transaction.
func (s *Store) PurgeSessions(ctx context.Context, sessions []string) (privacy.SessionReport, error) {
	var rep privacy.SessionReport
	if len(sessions) == 0 {
		return rep, nil
	}
	ids, err := jsonText(sessions)
	if err != nil {
		return rep, fmt.Errorf("failed to purge sessions: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (
			SELECT session_id FROM session_documents WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM session_changes WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM session_snapshots WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM chat_messages WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM polls WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM poll_submissions WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM attendance_intervals WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM attendance_records WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM session_events WHERE session_id`+inSessions+`
			UNION SELECT session_id FROM audit_log WHERE session_id`+inSessions+`)`, ids).Scan(&rep.Sessions)
		if err != nil {
			return err
		}
		for _, d := range []struct {
			n     *int
			query string
		}{
			{&rep.Documents, `DELETE FROM session_documents WHERE session_id` + inSessions},
			{&rep.Changes, `DELETE FROM session_changes WHERE session_id` + inSessions},
			{&rep.Snapshots, `DELETE FROM session_snapshots WHERE session_id` + inSessions},
			{&rep.ChatMessages, `DELETE FROM chat_messages WHERE session_id` + inSessions},
			{&rep.Results, `DELETE FROM poll_results WHERE poll_id IN (SELECT id FROM polls WHERE session_id` + inSessions + `)`},
			{&rep.Polls, `DELETE FROM polls WHERE session_id` + inSessions},
			{&rep.Submissions, `DELETE FROM poll_submissions WHERE session_id` + inSessions},
			{&rep.Intervals, `DELETE FROM attendance_intervals WHERE session_id` + inSessions},
			{&rep.Attendance, `DELETE FROM attendance_records WHERE session_id` + inSessions},
			{&rep.Events, `DELETE FROM session_events WHERE session_id` + inSessions},
			{&rep.Audit, `DELETE FROM audit_log WHERE session_id` + inSessions},
		} {
			res, err := tx.ExecContext(ctx, d.query, ids)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			*d.n = int(k)
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
