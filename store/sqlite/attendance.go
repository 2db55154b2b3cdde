package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

// AppendEvents implements activities.Store in one transaction.
func (s *Store) AppendEvents(ctx context.Context, evs []activities.Event) error {
	err := execEach(ctx, s, `INSERT INTO session_events (session_id, user_id, kind, at, detail) VALUES (?, ?, ?, ?, ?)`,
		evs, func(e activities.Event) []any {
			e = records.Event(e)
			return []any{e.Session, e.User, e.Kind, usec(e.At), e.Detail}
		})
	if err != nil {
		return fmt.Errorf("failed to store events: %w", err)
	}
	return nil
}

// Events implements activities.Store: in time order, events of the same
// time in the order appended.
func (s *Store) Events(ctx context.Context, session string) ([]activities.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT session_id, user_id, kind, at, detail FROM session_events
		WHERE session_id = ? ORDER BY at, id`, session)
	return list(rows, err, func(r row) (activities.Event, error) {
		var e activities.Event
		err := r.Scan(&e.Session, &e.User, &e.Kind, timeCol{&e.At}, &e.Detail)
		return e, err
	}, "events")
}

// AppendIntervals implements activities.Store in one transaction.
func (s *Store) AppendIntervals(ctx context.Context, ivs []activities.Interval) error {
	err := execEach(ctx, s, `INSERT INTO attendance_intervals (session_id, user_id, role, joined_at, left_at) VALUES (?, ?, ?, ?, ?)`,
		ivs, func(iv activities.Interval) []any {
			iv = records.Interval(iv)
			return []any{iv.Session, iv.User, iv.Role, usec(iv.JoinedAt), optUsec(iv.LeftAt)}
		})
	if err != nil {
		return fmt.Errorf("failed to store intervals: %w", err)
	}
	return nil
}

// Intervals implements activities.Store: by user, then join time, then
// in the order appended.
func (s *Store) Intervals(ctx context.Context, session string) ([]activities.Interval, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT session_id, user_id, role, joined_at, left_at FROM attendance_intervals
		WHERE session_id = ? ORDER BY user_id, joined_at, id`, session)
	return list(rows, err, func(r row) (activities.Interval, error) {
		var iv activities.Interval
		err := r.Scan(&iv.Session, &iv.User, &iv.Role, timeCol{&iv.JoinedAt}, optTimeCol{&iv.LeftAt})
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
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM attendance_records WHERE session_id = ?`, session); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO attendance_records (`+attendanceCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range out {
			engagement, err := jsonText(orEmptyMap(r.Engagement))
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, r.Session, r.User, r.Name, r.Role, optUsec(r.FirstJoin), optUsec(r.LastLeave),
				r.ConnectedSeconds, r.ActiveSeconds, engagement, r.Status, r.Evidence, usec(r.ComputedAt), r.Final); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("failed to save attendance of session %q: %w", session, err)
	}
	return nil
}

// orEmptyMap is m, or an empty map for nil, so that JSON columns hold {}.
func orEmptyMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// Attendance implements activities.Store: by user.
func (s *Store) Attendance(ctx context.Context, session string) ([]activities.AttendanceRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+attendanceCols+` FROM attendance_records
		WHERE session_id = ? ORDER BY user_id`, session)
	return list(rows, err, func(r row) (activities.AttendanceRecord, error) {
		var a activities.AttendanceRecord
		err := r.Scan(&a.Session, &a.User, &a.Name, &a.Role, optTimeCol{&a.FirstJoin}, optTimeCol{&a.LastLeave},
			&a.ConnectedSeconds, &a.ActiveSeconds, jsonCol{&a.Engagement}, &a.Status, &a.Evidence,
			timeCol{&a.ComputedAt}, &a.Final)
		return records.Attendance(a), err
	}, "attendance records")
}
