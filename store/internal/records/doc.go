// Package records says how the stores keep the records of package
// activities, so that the memory, SQLite and Postgres stores agree to the
// byte: the canonical form of each record (Chat, Poll, Submission, …:
// times in UTC to the microsecond, empty lists as nil, free text as valid
// UTF-8 without NUL, no text in a tombstone, no ballot key on a closed
// poll) and the rule of SubmitAnswers
// (Plan). It touches no storage.
package records
