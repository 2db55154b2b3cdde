package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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
	skip, err := jsonText(append([]string{}, openList...)) // "[]", never "null"
	if err != nil {
		return rep, err
	}
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
	err = s.purgeTx(ctx, dry, func(tx *sql.Tx) error {
		act = privacy.PurgeReport{} // counts of this attempt only
		return purgeActivities(ctx, tx, user, write, skip, s.now(), &act)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("failed to purge activities: %w", err))
	} else {
		rep.Add(act)
	}
	var removed []string
	err = s.purgeTx(ctx, dry, func(tx *sql.Tx) (err error) {
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

// purgeTx runs fn in a write transaction and commits it, or for a dry run
// rolls it back.
func (s *Store) purgeTx(ctx context.Context, dry bool, fn func(tx *sql.Tx) error) error {
	if !dry {
		return s.write(ctx, fn)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // the point of a dry run
	return fn(tx)
}

// tracesQuery finds the sessions in which records name user (?1).
const tracesQuery = `
	SELECT session_id FROM chat_messages WHERE user_id = ?1 OR deleted_by = ?1
	UNION SELECT session_id FROM polls WHERE created_by = ?1
	UNION SELECT session_id FROM poll_submissions WHERE user_id = ?1 OR voter = ?1
	UNION SELECT session_id FROM session_events WHERE user_id = ?1
	UNION SELECT session_id FROM attendance_intervals WHERE user_id = ?1
	UNION SELECT session_id FROM attendance_records WHERE user_id = ?1
	UNION SELECT session_id FROM audit_log WHERE session_id <> '' AND (actor_id = ?1 OR target_id = ?1)
	ORDER BY 1`

// candidatesQuery finds more sessions whose documents may hold user:
// those of the courses they are enrolled in, and those with a snapshot
// whose JSON holds the user id.
const candidatesQuery = `
	SELECT s.id FROM sessions s JOIN enrollments e ON e.course_id = s.course_id WHERE e.user_id = ?1
	UNION SELECT session_id FROM session_snapshots WHERE instr(state, ?1) > 0
	ORDER BY 1`

// sessionIDs runs a query of session ids.
func (s *Store) sessionIDs(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	return out, nil
}

// notIn is the condition that leaves the sessions of the JSON array ?3
// (the open ones) alone.
const notIn = ` AND session_id NOT IN (SELECT value FROM json_each(?3))`

// purgeActivities anonymises user (?1) as pseudonym (?2) in chat messages
// and polls and deletes their answers, connections, attendance and
// events, except in the sessions of skip (?3, a JSON array), adding the
// counts to rep.
func purgeActivities(ctx context.Context, tx *sql.Tx, user, pseudonym, skip string, now time.Time, rep *privacy.PurgeReport) error {
	exec := func(n *int, query string, args ...any) error {
		res, err := tx.ExecContext(ctx, query, append([]any{user, pseudonym, skip}, args...)...)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		*n += int(k)
		return err
	}
	at := usec(now.UTC().Truncate(time.Microsecond))
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
			rows, err := tx.QueryContext(ctx, `SELECT id, ballot_key FROM polls
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

// purgeCatalog deletes user's enrollments, returning their courses, and
// replaces user by pseudonym in the audit log, except in the entries of
// the sessions of skip (a JSON array).
func purgeCatalog(ctx context.Context, tx *sql.Tx, user, pseudonym, skip string) (courses []string, audit int, err error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM enrollments WHERE user_id = ? RETURNING course_id`, user)
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
	res, err := tx.ExecContext(ctx, `UPDATE audit_log
		SET actor_id = CASE WHEN actor_id = ?1 THEN ?2 ELSE actor_id END,
		    target_id = CASE WHEN target_id = ?1 THEN ?2 ELSE target_id END
		WHERE (actor_id = ?1 OR target_id = ?1)`+notIn, user, pseudonym, skip)
	if err != nil {
		return nil, 0, err
	}
	n, err := res.RowsAffected()
	return courses, int(n), err
}

// openSessions returns those of ids whose catalog state is not ended.
func (s *Store) openSessions(ctx context.Context, ids []string) ([]string, error) {
	list, err := jsonText(ids)
	if err != nil {
		return nil, err
	}
	out, err := s.sessionIDs(ctx, `SELECT id FROM sessions
		WHERE state <> 'ended' AND id IN (SELECT value FROM json_each(?)) ORDER BY id`, list)
	if err != nil {
		return nil, fmt.Errorf("failed to read the state of purged sessions: %w", err)
	}
	return out, nil
}
