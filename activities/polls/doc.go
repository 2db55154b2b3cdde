// Package polls is the logic of live polls and quizzes: it validates what a
// teacher opens (OpenRequest) and what a participant answers
// (AnswerRequest), derives the secret-ballot voter key of an answer, keeps
// the live tally, aggregates the results of a closed poll and builds the
// JSON payloads of the app frames the server sends (docs/activities.md).
//
// The package is pure: it does no I/O, starts no goroutine and reads no
// clock (times are passed in). The records it works on are those of package
// activities; storing them is the caller's business. The only randomness is
// crypto/rand for ids and ballot keys, and the *rand.Rand a caller passes to
// Aggregate.
//
// The session goroutine in rooms is the single owner of a session's polls,
// so nothing here is safe for concurrent use and nothing needs to be: a
// Tally in particular has no lock and must stay on that goroutine.
//
// # Secret ballot
//
// For an anonymous poll the voter of an answer is an HMAC of the user id
// under the poll's BallotKey (Voter), the user id is kept in a Submission
// only when the institution allows it, and the frames built here carry
// counts, shuffled texts and ids of polls and attempts only, never a user
// id or a voter key. The frames are built from explicit field lists, not by
// marshalling activities.Poll, so a field added to the records later cannot
// leak by accident.
//
// # Errors
//
// OpenRequest.Poll returns an *OpenError whose message is meant for the
// teacher. Check returns an *AnswerError whose Code is one of the
// client-visible codes of docs/activities.md (CodeBadAnswer,
// CodePollClosed).
package polls
