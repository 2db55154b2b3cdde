package polls

// Client-visible error codes of poll answers (docs/activities.md). Check
// returns the first two; the caller maps the store's outcomes and its own
// look-ups to the others.
const (
	// CodeBadAnswer: the answer does not fit the poll (no such option,
	// wrong number of choices, text too long, bad attempt id).
	CodeBadAnswer = "bad_answer"
	// CodePollClosed: the poll closed before the answer arrived.
	CodePollClosed = "poll_closed"
	// CodeAlreadyAnswered: the poll does not allow changes and the voter
	// answered before (activities.AlreadyAnswered).
	CodeAlreadyAnswered = "already_answered"
	// CodeNotFound: no such poll in this session.
	CodeNotFound = "not_found"
)

// AnswerError is why an answer was refused. Code is one of the codes above
// and goes to the client in the error frame; Msg says what is wrong in
// words.
type AnswerError struct {
	Code string
	Msg  string
}

func (e *AnswerError) Error() string { return e.Code + ": " + e.Msg }

func badAnswer(msg string) error { return &AnswerError{Code: CodeBadAnswer, Msg: msg} }

// OpenError is why a poll_open request was refused. Msg is a sentence for
// the teacher who sent it; Field names the JSON field at fault ("kind",
// "question", "options" or "correct") so that a client can point at it.
type OpenError struct {
	Field string
	Msg   string
}

func (e *OpenError) Error() string { return e.Msg }

func openError(field, msg string) error { return &OpenError{Field: field, Msg: msg} }
