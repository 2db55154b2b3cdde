package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// purgeTx is one transaction of a purgeDB.
type purgeTx struct {
	s  *Store
	tx pgx.Tx
}

// notIn is the condition that leaves the sessions of parameter $n (the
// open ones) alone.
func notIn(n int) string { return fmt.Sprintf(` AND NOT (session_id = ANY($%d))`, n) }

// Activities anonymises user as pseudonym in chat messages and polls
// and deletes their answers, connections, attendance and events, except
// in the sessions of skip, adding the counts to rep.
func (p purgeTx) Activities(ctx context.Context, user, pseudonym string, skip []string, rep *privacy.PurgeReport) error {
	exec := func(n *int, query string, args ...any) error {
		tag, err := p.tx.Exec(ctx, query, args...)
		*n += int(tag.RowsAffected())
		return err
	}
	at := catalog.StoredTime(p.s.now())
	steps := []func() error{
		// Their messages become tombstones of an unnamed author.
		func() error {
			return exec(&rep.ChatMessages, `UPDATE chat_messages
				SET user_id = $2, name = $4, client_id = '', body = '', deleted_at = coalesce(deleted_at, $5),
				    deleted_by = CASE WHEN deleted_by IS NULL OR deleted_by = $1 THEN $2 ELSE deleted_by END
				WHERE user_id = $1`+notIn(3), user, pseudonym, skip, privacy.DeletedName, at)
		},
		// Messages they deleted as a moderator.
		func() error {
			return exec(&rep.ChatMessages, `UPDATE chat_messages SET deleted_by = $2 WHERE deleted_by = $1`+notIn(3), user, pseudonym, skip)
		},
		func() error {
			return exec(&rep.Polls, `UPDATE polls SET created_by = $2 WHERE created_by = $1`+notIn(3), user, pseudonym, skip)
		},
		func() error {
			return exec(&rep.Submissions, `DELETE FROM poll_submissions WHERE (user_id = $1 OR voter = $1)`+notIn(2), user, skip)
		},
		// Secret ballots still open: their voter is a keyed hash of the
		// user id, computable while the poll keeps its key.
		func() error {
			rows, err := p.tx.Query(ctx, `SELECT id, ballot_key FROM polls
				WHERE anonymous AND ballot_key IS NOT NULL`+notIn(1), skip)
			if err != nil {
				return err
			}
			open, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (activities.Poll, error) {
				p := activities.Poll{Anonymous: true}
				return p, r.Scan(&p.ID, &p.BallotKey)
			})
			if err != nil {
				return err
			}
			for _, p := range open {
				if err := exec(&rep.Submissions, `DELETE FROM poll_submissions WHERE poll_id = $1 AND voter = $2`,
					p.ID, polls.Voter(p, user)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			return exec(&rep.Intervals, `DELETE FROM attendance_intervals WHERE user_id = $1`+notIn(2), user, skip)
		},
		func() error {
			return exec(&rep.Attendance, `DELETE FROM attendance_records WHERE user_id = $1`+notIn(2), user, skip)
		},
		func() error {
			return exec(&rep.Events, `DELETE FROM session_events WHERE user_id = $1`+notIn(2), user, skip)
		},
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
func (p purgeTx) Catalog(ctx context.Context, user, pseudonym string, skip []string) (courses []string, audit int, err error) {
	rows, err := p.tx.Query(ctx, `DELETE FROM enrollments WHERE user_id = $1 RETURNING course_id`, user)
	if err != nil {
		return nil, 0, err
	}
	if courses, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, 0, err
	}
	tag, err := p.tx.Exec(ctx, `UPDATE audit_log
		SET actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END,
		    target_id = CASE WHEN target_id = $1 THEN $2 ELSE target_id END
		WHERE (actor_id = $1 OR target_id = $1)`+notIn(3), user, pseudonym, skip)
	return courses, int(tag.RowsAffected()), err
}

// Interface guards.
var _ sqlpurge.Tx = purgeTx{}
