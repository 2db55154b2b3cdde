// Package attendance decides who attended a live class, and how, from how
// long each participant was connected and how engaged they were, not from
// a join click alone. Compute turns a session's schedule, its roster, the
// connection intervals and the events the session kept into one
// activities.AttendanceRecord per participant, each with a status
// (present, late, left early, absent) and an Evidence sentence that names
// the numbers that decided it.
//
// The package is pure: it does no I/O, starts no goroutine and reads no
// clock (now is passed in), so a record can be recomputed from the stored
// intervals and events and must come out the same. The session in rooms
// keeps the intervals and events, calls Compute when a teacher asks for
// attendance (live) and when the session ends (final), and stores the
// final records through activities.Store.
//
// The method, every threshold with its default and worked examples are in
// docs/attendance.md; that page is what a district audits, and this
// package must keep matching it.
package attendance
