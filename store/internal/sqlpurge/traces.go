package sqlpurge

import "strings"

// tracesQuery is TracesQuery with the parameter written @user.
const tracesQuery = `
	SELECT session_id FROM chat_messages WHERE user_id = @user OR deleted_by = @user
	UNION SELECT session_id FROM polls WHERE created_by = @user
	UNION SELECT session_id FROM poll_submissions WHERE user_id = @user OR voter = @user
	UNION SELECT session_id FROM session_events WHERE user_id = @user
	UNION SELECT session_id FROM attendance_intervals WHERE user_id = @user
	UNION SELECT session_id FROM attendance_records WHERE user_id = @user
	UNION SELECT session_id FROM audit_log WHERE session_id <> '' AND (actor_id = @user OR target_id = @user)
	ORDER BY 1`

// TracesQuery returns the query, in the SQL both stores speak, of the
// sessions in which records name a user, the parameter p (as "$1"): the
// chat messages they wrote or deleted, the polls they created, their
// answers, events, connections and attendance, and the audit entries of
// a session with them as actor or target.
func TracesQuery(p string) string { return strings.ReplaceAll(tracesQuery, "@user", p) }
