package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

// AppendEvents implements activities.Store.
func (m *Memory) AppendEvents(_ context.Context, evs []activities.Event) error {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.events == nil {
		a.events = make(map[string][]activities.Event)
	}
	for _, e := range evs {
		a.events[e.Session] = append(a.events[e.Session], records.Event(e))
	}
	return nil
}

// Events implements activities.Store: in time order, events of the same
// time in the order appended.
func (m *Memory) Events(_ context.Context, session string) ([]activities.Event, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]activities.Event{}, a.events[session]...)
	slices.SortStableFunc(out, func(a, b activities.Event) int { return a.At.Compare(b.At) })
	return out, nil
}

// AppendIntervals implements activities.Store.
func (m *Memory) AppendIntervals(_ context.Context, ivs []activities.Interval) error {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.intervals == nil {
		a.intervals = make(map[string][]activities.Interval)
	}
	for _, iv := range ivs {
		a.intervals[iv.Session] = append(a.intervals[iv.Session], records.Interval(iv))
	}
	return nil
}

// Intervals implements activities.Store: by user, then join time, then
// in the order appended.
func (m *Memory) Intervals(_ context.Context, session string) ([]activities.Interval, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]activities.Interval{}, a.intervals[session]...)
	slices.SortStableFunc(out, func(a, b activities.Interval) int {
		return cmp.Or(strings.Compare(a.User, b.User), a.JoinedAt.Compare(b.JoinedAt))
	})
	return out, nil
}

// SaveAttendance implements activities.Store.
func (m *Memory) SaveAttendance(_ context.Context, session string, recs []activities.AttendanceRecord) error {
	out, err := records.AttendanceOf(session, recs)
	if err != nil {
		return fmt.Errorf("failed to save attendance of session %q: %w", session, err)
	}
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.attendance == nil {
		a.attendance = make(map[string][]activities.AttendanceRecord)
	}
	a.attendance[session] = out
	return nil
}

// Attendance implements activities.Store.
func (m *Memory) Attendance(_ context.Context, session string) ([]activities.AttendanceRecord, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]activities.AttendanceRecord, 0, len(a.attendance[session]))
	for _, r := range a.attendance[session] {
		out = append(out, records.Attendance(r)) // the caller's own Engagement
	}
	return out, nil
}
