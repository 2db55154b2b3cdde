package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

// AppendEvents implements activities.Store in one statement over arrays of
// the batch's columns.
func (s *Store) AppendEvents(ctx context.Context, evs []activities.Event) error {
	if len(evs) == 0 {
		return nil
	}
	n := len(evs)
	sessions, users, kinds, details, at := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n)
	for i, e := range evs {
		e = records.Event(e)
		sessions[i], users[i], kinds[i], details[i], at[i] = e.Session, e.User, e.Kind, e.Detail, e.At
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO session_events (session_id, user_id, kind, detail, at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])`,
		sessions, users, kinds, details, at)
	if err != nil {
		return fmt.Errorf("failed to store events: %w", err)
	}
	return nil
}

// Events implements activities.Store: in time order, events of the same
// time in the order appended.
func (s *Store) Events(ctx context.Context, session string) ([]activities.Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT session_id, user_id, kind, at, detail FROM session_events
		WHERE session_id = $1 ORDER BY at, id`, session)
	return list(rows, err, func(r pgx.Row) (activities.Event, error) {
		var e activities.Event
		err := r.Scan(&e.Session, &e.User, &e.Kind, &e.At, &e.Detail)
		e.At = e.At.UTC()
		return e, err
	}, "events")
}

// AppendIntervals implements activities.Store in one statement.
func (s *Store) AppendIntervals(ctx context.Context, ivs []activities.Interval) error {
	if len(ivs) == 0 {
		return nil
	}
	n := len(ivs)
	sessions, users, roles, joined, left := make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n), make([]*time.Time, n)
	for i, iv := range ivs {
		iv = records.Interval(iv)
		sessions[i], users[i], roles[i], joined[i], left[i] = iv.Session, iv.User, iv.Role, iv.JoinedAt, optTime(iv.LeftAt)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO attendance_intervals (session_id, user_id, role, joined_at, left_at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
		sessions, users, roles, joined, left)
	if err != nil {
		return fmt.Errorf("failed to store intervals: %w", err)
	}
	return nil
}

// Intervals implements activities.Store: by user (byte order), then join
// time, then in the order appended.
func (s *Store) Intervals(ctx context.Context, session string) ([]activities.Interval, error) {
	rows, err := s.pool.Query(ctx, `SELECT session_id, user_id, role, joined_at, left_at FROM attendance_intervals
		WHERE session_id = $1 ORDER BY user_id, joined_at, id`, session)
	return list(rows, err, func(r pgx.Row) (activities.Interval, error) {
		var iv activities.Interval
		var left *time.Time
		err := r.Scan(&iv.Session, &iv.User, &iv.Role, &iv.JoinedAt, &left)
		iv.JoinedAt, iv.LeftAt = iv.JoinedAt.UTC(), fromOpt(left)
		return iv, err
	}, "intervals")
}

const attendanceCols = `session_id, user_id, name, role, first_join, last_leave, connected_seconds, active_seconds,
	engagement, status, evidence, computed_at, final`

// SaveAttendance implements activities.Store: the session's records are
// deleted and the new ones inserted in one transaction.
func (s *Store) SaveAttendance(ctx context.Context, session string, recs []activities.AttendanceRecord) error {
	out, err := records.AttendanceOf(session, recs)
	if err != nil {
		return fmt.Errorf("failed to save attendance of session %q: %w", session, err)
	}
	n := len(out)
	users, names, roles, engagement := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	statuses, evidence := make([]string, n), make([]string, n)
	first, last, computed := make([]*time.Time, n), make([]*time.Time, n), make([]time.Time, n)
	connected, active, final := make([]int64, n), make([]int64, n), make([]bool, n)
	for i, r := range out {
		eng := []byte("{}")
		if len(r.Engagement) > 0 {
			if eng, err = json.Marshal(r.Engagement); err != nil {
				return fmt.Errorf("failed to save attendance of session %q: %w", session, err)
			}
		}
		users[i], names[i], roles[i], engagement[i] = r.User, r.Name, r.Role, string(eng)
		statuses[i], evidence[i] = r.Status, r.Evidence
		first[i], last[i], computed[i] = optTime(r.FirstJoin), optTime(r.LastLeave), r.ComputedAt
		connected[i], active[i], final[i] = r.ConnectedSeconds, r.ActiveSeconds, r.Final
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM attendance_records WHERE session_id = $1`, session); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO attendance_records (`+attendanceCols+`)
			SELECT $1, u, nm, rl, fj, ll, cs, acs, eng::jsonb, st, ev, ca, fin
			FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bigint[],
				$8::bigint[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::boolean[])
				AS x(u, nm, rl, fj, ll, cs, acs, eng, st, ev, ca, fin)`,
			session, users, names, roles, first, last, connected, active, engagement, statuses, evidence, computed, final)
		return err
	})
	if err != nil {
		return fmt.Errorf("failed to save attendance of session %q: %w", session, err)
	}
	return nil
}

// Attendance implements activities.Store: by user (byte order).
func (s *Store) Attendance(ctx context.Context, session string) ([]activities.AttendanceRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+attendanceCols+` FROM attendance_records
		WHERE session_id = $1 ORDER BY user_id`, session)
	return list(rows, err, func(r pgx.Row) (activities.AttendanceRecord, error) {
		var a activities.AttendanceRecord
		var first, last *time.Time
		err := r.Scan(&a.Session, &a.User, &a.Name, &a.Role, &first, &last, &a.ConnectedSeconds, &a.ActiveSeconds,
			&a.Engagement, &a.Status, &a.Evidence, &a.ComputedAt, &a.Final)
		a.FirstJoin, a.LastLeave = fromOpt(first), fromOpt(last)
		return records.Attendance(a), err
	}, "attendance records")
}
