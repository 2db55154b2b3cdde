package privacy

import (
	"fmt"
	"slices"
)

// PurgeReport counts what a purge of one user touched (or, for a dry run,
// would touch), per kind of record.
type PurgeReport struct {
	// Pseudonym is what the user was replaced by; empty for a dry run.
	Pseudonym string `json:"pseudonym,omitempty"`
	DryRun    bool   `json:"dry_run"`
	// Enrollments deleted.
	Enrollments int `json:"enrollments"`
	// ChatMessages anonymised: written by the user (author → pseudonym,
	// name → DeletedName, text removed as by a moderator's delete), or
	// deleted by them as a moderator (deleted_by → pseudonym).
	ChatMessages int `json:"chat_messages"`
	// Polls the user created, their creator replaced by the pseudonym.
	Polls int `json:"polls"`
	// Submissions (poll answers) deleted. Results stay: they are
	// aggregates without names.
	Submissions int `json:"poll_submissions"`
	// Intervals (connections), Attendance (records) and Events deleted.
	Intervals  int `json:"attendance_intervals"`
	Attendance int `json:"attendance_records"`
	Events     int `json:"session_events"`
	// Audit entries whose actor or target was the user, now the pseudonym.
	Audit int `json:"audit_entries"`
	// Documents rewritten by crdt.Redact (their pending changes folded in)
	// and analysts' Snapshots rewritten by crdt.RedactSnapshotJSON.
	Documents int `json:"documents"`
	Snapshots int `json:"snapshots"`
	// Sessions the user left a trace in, sorted.
	Sessions []string `json:"sessions"`
	// OpenSessions are those of Sessions not ended in the catalog. A node
	// may hold one live, with the user in memory, and write them back, so
	// their documents are left as they are (and not counted in
	// Documents); their records are purged. End them and purge again.
	OpenSessions []string `json:"open_sessions"`
}

// Total is the number of records touched.
func (r PurgeReport) Total() int {
	return r.Enrollments + r.ChatMessages + r.Polls + r.Submissions + r.Intervals + r.Attendance +
		r.Events + r.Audit + r.Documents + r.Snapshots
}

// Add adds o's counts and sessions to r.
func (r *PurgeReport) Add(o PurgeReport) {
	r.Enrollments += o.Enrollments
	r.ChatMessages += o.ChatMessages
	r.Polls += o.Polls
	r.Submissions += o.Submissions
	r.Intervals += o.Intervals
	r.Attendance += o.Attendance
	r.Events += o.Events
	r.Audit += o.Audit
	r.Documents += o.Documents
	r.Snapshots += o.Snapshots
	r.Sessions = union(r.Sessions, o.Sessions)
	r.OpenSessions = union(r.OpenSessions, o.OpenSessions)
}

// String lists the counts as key=value pairs, for logs and audit details;
// it names no user and no session.
func (r PurgeReport) String() string {
	return fmt.Sprintf("enrollments=%d chat_messages=%d polls=%d poll_submissions=%d attendance_intervals=%d "+
		"attendance_records=%d session_events=%d audit_entries=%d documents=%d snapshots=%d sessions=%d open_sessions=%d",
		r.Enrollments, r.ChatMessages, r.Polls, r.Submissions, r.Intervals, r.Attendance, r.Events, r.Audit,
		r.Documents, r.Snapshots, len(r.Sessions), len(r.OpenSessions))
}

// union returns the sorted union of a and b without duplicates, never nil.
func union(a, b []string) []string {
	out := append(append([]string{}, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// Sorted returns ids sorted without duplicates, never nil: how reports
// list sessions.
func Sorted(ids []string) []string { return union(ids, nil) }

// SessionReport counts what PurgeSessions deleted, per kind of record.
type SessionReport struct {
	// Sessions that had anything stored.
	Sessions int `json:"sessions"`
	// Documents deleted, and the Changes appended to them since.
	Documents int `json:"documents"`
	Changes   int `json:"changes"`
	Snapshots int `json:"snapshots"`
	// ChatMessages, Polls (with their Results), Submissions, Intervals,
	// Attendance records, Events and Audit entries deleted.
	ChatMessages int `json:"chat_messages"`
	Polls        int `json:"polls"`
	Results      int `json:"poll_results"`
	Submissions  int `json:"poll_submissions"`
	Intervals    int `json:"attendance_intervals"`
	Attendance   int `json:"attendance_records"`
	Events       int `json:"session_events"`
	Audit        int `json:"audit_entries"`
}

// Rows is the number of records deleted.
func (r SessionReport) Rows() int {
	return r.Documents + r.Changes + r.Snapshots + r.ChatMessages + r.Polls + r.Results + r.Submissions +
		r.Intervals + r.Attendance + r.Events + r.Audit
}

// Add adds o's counts to r.
func (r *SessionReport) Add(o SessionReport) {
	r.Sessions += o.Sessions
	r.Documents += o.Documents
	r.Changes += o.Changes
	r.Snapshots += o.Snapshots
	r.ChatMessages += o.ChatMessages
	r.Polls += o.Polls
	r.Results += o.Results
	r.Submissions += o.Submissions
	r.Intervals += o.Intervals
	r.Attendance += o.Attendance
	r.Events += o.Events
	r.Audit += o.Audit
}

// String lists the counts as key=value pairs, for logs and audit details.
func (r SessionReport) String() string {
	return fmt.Sprintf("sessions=%d documents=%d changes=%d snapshots=%d chat_messages=%d polls=%d poll_results=%d "+
		"poll_submissions=%d attendance_intervals=%d attendance_records=%d session_events=%d audit_entries=%d",
		r.Sessions, r.Documents, r.Changes, r.Snapshots, r.ChatMessages, r.Polls, r.Results, r.Submissions,
		r.Intervals, r.Attendance, r.Events, r.Audit)
}
