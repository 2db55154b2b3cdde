package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// purgeTx is one write transaction of a purgeDB.
type purgeTx struct {
	s  *Store
	tx *sql.Tx
}

// notIn is the condition that leaves the sessions of the JSON array ?3
// (the open ones) alone.
const notIn = ` AND session_id NOT IN (SELECT value FROM json_each(?3))`

// Activities anonymises user (?1) as pseudonym (?2) in chat messages and
// polls and deletes their answers, connections, attendance and events,
// except in the sessions of skip (?3, as a JSON array), adding the counts
// to rep.
func (p purgeTx) Activities(ctx context.Context, user, pseudonym string, skipIDs []string, rep *privacy.PurgeReport) error {
	skip, err := jsonText(skipIDs)
	if err != nil {
		return err
	}
	exec := func(n *int, query string, args ...any) error {
		res, err := p.tx.ExecContext(ctx, query, append([]any{user, pseudonym, skip}, args...)...)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		*n += int(k)
		return err
	}
	at := usec(p.s.now().UTC().Truncate(time.Microsecond))
	steps := []func() error{
		// Their messages become tombstones of an unnamed author.
		func() error {
			return exec(&rep.ChatMessages, `UPDATE chat_messages
				SET user_id = ?2, name = ?4, client_id = '', body = '', deleted_at = coalesce(deleted_at, ?5),
				    deleted_by = CASE WHEN deleted_by IS NULL OR deleted_by = ?1 THEN ?2 ELSE deleted_by END
				WHERE user_id = ?1`+notIn, privacy.DeletedName, at)
		},
		// Messages they deleted as a moderator.
		func() error {
			return exec(&rep.ChatMessages, `UPDATE chat_messages SET deleted_by = ?2 WHERE deleted_by = ?1`+notIn)
		},
		func() error {
			return exec(&rep.Polls, `UPDATE polls SET created_by = ?2 WHERE created_by = ?1`+notIn)
		},
		func() error {
			return exec(&rep.Submissions, `DELETE FROM poll_submissions WHERE (user_id = ?1 OR voter = ?1)`+notIn)
		},
		// Secret ballots still open: their voter is a keyed hash of the
		// user id, computable while the poll keeps its key.
		func() error {
			rows, err := p.tx.QueryContext(ctx, `SELECT id, ballot_key FROM polls
				WHERE anonymous AND ballot_key IS NOT NULL AND session_id NOT IN (SELECT value FROM json_each(?))`, skip)
			if err != nil {
				return err
			}
			var open []activities.Poll
			for rows.Next() {
				p := activities.Poll{Anonymous: true}
				if err := rows.Scan(&p.ID, &p.BallotKey); err != nil {
					rows.Close()
					return err
				}
				open = append(open, p)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, p := range open {
				if err := exec(&rep.Submissions, `DELETE FROM poll_submissions WHERE poll_id = ?4 AND voter = ?5`+notIn,
					p.ID, polls.Voter(p, user)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return exec(&rep.Intervals, `DELETE FROM attendance_intervals WHERE user_id = ?1`+notIn) },
		func() error { return exec(&rep.Attendance, `DELETE FROM attendance_records WHERE user_id = ?1`+notIn) },
		func() error { return exec(&rep.Events, `DELETE FROM session_events WHERE user_id = ?1`+notIn) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// Catalog deletes user's enrollments, returning their courses, and
// replaces user by pseudonym in the audit log, except in the entries of
// the sessions of skip.
func (p purgeTx) Catalog(ctx context.Context, user, pseudonym string, skipIDs []string) (courses []string, audit int, err error) {
	skip, err := jsonText(skipIDs)
	if err != nil {
		return nil, 0, err
	}
	rows, err := p.tx.QueryContext(ctx, `DELETE FROM enrollments WHERE user_id = ? RETURNING course_id`, user)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, 0, err
		}
		courses = append(courses, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	res, err := p.tx.ExecContext(ctx, `UPDATE audit_log
		SET actor_id = CASE WHEN actor_id = ?1 THEN ?2 ELSE actor_id END,
		    target_id = CASE WHEN target_id = ?1 THEN ?2 ELSE target_id END
		WHERE (actor_id = ?1 OR target_id = ?1)`+notIn, user, pseudonym, skip)
	if err != nil {
		return nil, 0, err
	}
	n, err := res.RowsAffected()
	return courses, int(n), err
}

// Interface guards.
var _ sqlpurge.Tx = purgeTx{}
