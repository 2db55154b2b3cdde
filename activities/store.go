package activities

import (
	"context"
	"time"
)

// Store keeps what the activities of sessions must keep. The memory,
// SQLite and Postgres stores implement it and pass
// store/storetest.RunActivities. Every method is safe for concurrent use.
type Store interface {
	// AppendChat stores chat messages; a message whose (Session, Seq) is
	// already stored is skipped, so a retried batch writes nothing twice.
	AppendChat(ctx context.Context, msgs []ChatMessage) error
	// DeleteChat turns message seq of session into a tombstone: its text
	// is removed and DeletedAt, DeletedBy are set.
	DeleteChat(ctx context.Context, session string, seq int64, by string, at time.Time) error
	// ChatHistory returns up to limit messages of session with Seq >
	// after, oldest first.
	ChatHistory(ctx context.Context, session string, after int64, limit int) ([]ChatMessage, error)
	// LastChatSeq returns the highest Seq stored for session, 0 if none.
	LastChatSeq(ctx context.Context, session string) (int64, error)

	// SavePoll inserts or updates a poll (opened, closed, published).
	SavePoll(ctx context.Context, p Poll) error
	// Polls returns the polls of a session, oldest first.
	Polls(ctx context.Context, session string) ([]Poll, error)
	// SubmitAnswers commits a batch of submissions in one transaction and
	// returns one result per submission, in order. The store enforces one
	// answer per (Poll, Voter) and recognises a repeated (Poll, Voter,
	// AttemptID) as a Duplicate, also within one batch.
	SubmitAnswers(ctx context.Context, subs []Submission) ([]SubmitResult, error)
	// Submissions returns the stored answers of a poll.
	Submissions(ctx context.Context, poll string) ([]Submission, error)
	// SaveResults stores (or replaces) a closed poll's results.
	SaveResults(ctx context.Context, r Results) error
	// PollResults returns a poll's stored results; ok is false if none.
	PollResults(ctx context.Context, poll string) (r Results, ok bool, err error)

	// AppendEvents stores analytics and engagement events.
	AppendEvents(ctx context.Context, evs []Event) error
	// Events returns the events of a session in time order.
	Events(ctx context.Context, session string) ([]Event, error)
	// AppendIntervals stores closed connection intervals.
	AppendIntervals(ctx context.Context, ivs []Interval) error
	// Intervals returns the connection intervals of a session ordered by
	// user, then join time.
	Intervals(ctx context.Context, session string) ([]Interval, error)
	// SaveAttendance replaces the attendance records of a session.
	SaveAttendance(ctx context.Context, session string, recs []AttendanceRecord) error
	// Attendance returns the stored attendance records of a session,
	// ordered by user.
	Attendance(ctx context.Context, session string) ([]AttendanceRecord, error)
}
