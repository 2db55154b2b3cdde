package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeUser implements privacy.UserPurger. Documents are redacted one
// transaction per session, then the snapshots, the activities' records
// and the catalog (enrollments, audit log) one transaction each, in that
// order: what finds the user's sessions goes last, so a run that fails
// part-way is finished by running it again. Errors name no user.
func (s *Store) PurgeUser(ctx context.Context, user, pseudonym string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, pseudonym); err != nil {
		return privacy.PurgeReport{}, err
	}
	return s.purgeUser(ctx, user, pseudonym, false)
}

// PlanPurge implements privacy.UserPurger: the same transactions, rolled
// back.
func (s *Store) PlanPurge(ctx context.Context, user string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, privacy.NewPseudonym()); err != nil {
		return privacy.PurgeReport{}, err
	}
	return s.purgeUser(ctx, user, "", true)
}

func (s *Store) purgeUser(ctx context.Context, user, pseudonym string, dry bool) (privacy.PurgeReport, error) {
	rep := privacy.PurgeReport{Pseudonym: pseudonym, DryRun: dry}
	write := pseudonym
	if dry {
		write = privacy.NewPseudonym() // written, then rolled back
	}
	traces, err := s.sessionIDs(ctx, tracesQuery, user)
	if err != nil {
		return rep, err
	}
	candidates, err := s.sessionIDs(ctx, candidatesQuery, user)
	if err != nil {
		return rep, err
	}
	all := privacy.Sorted(append(candidates, traces...))
	openList, err := s.openSessions(ctx, all)
	if err != nil {
		return rep, err
	}
	open := make(map[string]bool, len(openList))
	for _, id := range openList {
		open[id] = true
	}
	// Sessions not ended are left as they are, document and records: a
	// node may hold one live, with the user in memory, and its next save
	// would be appended to (and break) a rewritten document, or overwrite
	// it. They are reported, and their records find them again when the
	// purge is run once they have ended.
	skip := append([]string{}, openList...) // never nil: ANY(NULL) matches nothing
	touched := traces
	var errs []error
	for _, id := range all {
		changed, err := s.redactDoc(ctx, id, user, write, dry || open[id])
		switch {
		case err != nil:
			errs = append(errs, err)
		case changed:
			touched = append(touched, id)
			if !open[id] {
				rep.Documents++
			}
		}
	}
	n, snapped, err := s.redactSnapshots(ctx, user, write, skip, dry)
	if err != nil {
		errs = append(errs, err)
	}
	rep.Snapshots, touched = n, append(touched, snapped...)
	var act privacy.PurgeReport
	err = s.purgeTx(ctx, dry, func(tx pgx.Tx) error {
		act = privacy.PurgeReport{} // counts of this attempt only
		return purgeActivities(ctx, tx, user, write, skip, s.now(), &act)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("failed to purge activities: %w", err))
	} else {
		rep.Add(act)
	}
	var removed []string
	err = s.purgeTx(ctx, dry, func(tx pgx.Tx) (err error) {
		removed, rep.Audit, err = purgeCatalog(ctx, tx, user, write, skip)
		return err
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("failed to purge enrollments and audit log: %w", err))
	} else if rep.Enrollments = len(removed); !dry {
		s.pubMu.Lock()
		for _, course := range removed {
			s.hub.Publish(catalog.Event{Kind: catalog.EnrollmentRemoved, CourseID: course, UserID: user})
		}
		s.pubMu.Unlock()
	}
	rep.Sessions, rep.OpenSessions = privacy.Sorted(touched), []string{}
	for _, id := range rep.Sessions {
		if open[id] {
			rep.OpenSessions = append(rep.OpenSessions, id)
		}
	}
	return rep, errors.Join(errs...)
}

// purgeTx runs fn in a transaction and commits it, or for a dry run rolls
// it back.
func (s *Store) purgeTx(ctx context.Context, dry bool, fn func(tx pgx.Tx) error) error {
	if !dry {
		return s.retryTx(ctx, fn)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // the point of a dry run
	return fn(tx)
}

// tracesQuery finds the sessions in which records name user ($1).
const tracesQuery = `
	SELECT session_id FROM chat_messages WHERE user_id = $1 OR deleted_by = $1
	UNION SELECT session_id FROM polls WHERE created_by = $1
	UNION SELECT session_id FROM poll_submissions WHERE user_id = $1 OR voter = $1
	UNION SELECT session_id FROM session_events WHERE user_id = $1
	UNION SELECT session_id FROM attendance_intervals WHERE user_id = $1
	UNION SELECT session_id FROM attendance_records WHERE user_id = $1
	UNION SELECT session_id FROM audit_log WHERE session_id <> '' AND (actor_id = $1 OR target_id = $1)
	ORDER BY 1`

// candidatesQuery finds more sessions whose documents may hold user:
// those of the courses they are enrolled in, and those with a snapshot
// whose JSON holds the user id.
const candidatesQuery = `
	SELECT s.id FROM sessions s JOIN enrollments e ON e.course_id = s.course_id WHERE e.user_id = $1
	UNION SELECT session_id FROM session_snapshots WHERE strpos(state::text, $1) > 0
	ORDER BY 1`

// sessionIDs runs a query of session ids.
func (s *Store) sessionIDs(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// notIn is the condition that leaves the sessions of parameter $n (the
// open ones) alone.
func notIn(n int) string { return fmt.Sprintf(` AND NOT (session_id = ANY($%d))`, n) }

// purgeActivities anonymises user as pseudonym in chat messages
// and polls and deletes their answers, connections, attendance and
// events, except in the sessions of skip, adding the counts to rep.
func purgeActivities(ctx context.Context, tx pgx.Tx, user, pseudonym string, skip []string, now time.Time, rep *privacy.PurgeReport) error {
	exec := func(n *int, query string, args ...any) error {
		tag, err := tx.Exec(ctx, query, args...)
		*n += int(tag.RowsAffected())
		return err
	}
	at := catalog.StoredTime(now)
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
			rows, err := tx.Query(ctx, `SELECT id, ballot_key FROM polls
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

// purgeCatalog deletes user's enrollments, returning their courses, and
// replaces user by pseudonym in the audit log, except in the entries of
// the sessions of skip.
func purgeCatalog(ctx context.Context, tx pgx.Tx, user, pseudonym string, skip []string) (courses []string, audit int, err error) {
	rows, err := tx.Query(ctx, `DELETE FROM enrollments WHERE user_id = $1 RETURNING course_id`, user)
	if err != nil {
		return nil, 0, err
	}
	if courses, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, 0, err
	}
	tag, err := tx.Exec(ctx, `UPDATE audit_log
		SET actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END,
		    target_id = CASE WHEN target_id = $1 THEN $2 ELSE target_id END
		WHERE (actor_id = $1 OR target_id = $1)`+notIn(3), user, pseudonym, skip)
	return courses, int(tag.RowsAffected()), err
}

// openSessions returns those of ids whose catalog state is not ended.
func (s *Store) openSessions(ctx context.Context, ids []string) ([]string, error) {
	out, err := s.sessionIDs(ctx, `SELECT id FROM sessions WHERE state <> 'ended' AND id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, fmt.Errorf("failed to read the state of purged sessions: %w", err)
	}
	return out, nil
}
