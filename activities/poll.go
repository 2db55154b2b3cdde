package activities

import "time"

// Poll kinds.
const (
	KindSingle    = "single"     // one of Options
	KindMultiple  = "multiple"   // any non-empty subset of Options
	KindYesNo     = "yes_no"     // Options are ["Yes", "No"]
	KindTrueFalse = "true_false" // Options are ["True", "False"]
	KindText      = "text"       // a short free text
)

// Poll is a poll or, when Correct is set, a quiz.
type Poll struct {
	ID        string   `json:"id"`
	Session   string   `json:"session"`
	CreatedBy string   `json:"created_by"`
	Kind      string   `json:"kind"`
	Question  string   `json:"question"`
	Options   []string `json:"options"`
	// Correct lists the indexes of the correct options of a quiz; empty
	// for a poll. Never sent to students before the results.
	Correct []int `json:"correct,omitempty"`
	// Anonymous makes the poll a secret ballot: no client ever receives
	// who chose what, and the store keeps the link between a voter and an
	// answer only if the institution's policy allows it.
	Anonymous bool `json:"anonymous"`
	// Changeable lets a participant change their answer until the close.
	Changeable bool      `json:"changeable"`
	OpenedAt   time.Time `json:"opened_at"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	// Published is set when the teacher published the results.
	Published bool `json:"published"`
	// BallotKey is the key that hashes the voters of an anonymous poll
	// (Submission.Voter). It is kept while the poll is open and erased
	// (nil) when the poll closes, after which no answer can be linked to a
	// person. Never sent to clients.
	BallotKey []byte `json:"-"`
}

// Quiz reports whether the poll scores answers.
func (p Poll) Quiz() bool { return len(p.Correct) > 0 }

// Closed reports whether the poll no longer takes answers.
func (p Poll) Closed() bool { return !p.ClosedAt.IsZero() }

// Submission is one participant's answer to a poll.
type Submission struct {
	Poll    string `json:"poll"`
	Session string `json:"session"`
	// Voter identifies the participant within the poll and is what the
	// store keeps unique per poll: the user id, or for an anonymous poll a
	// keyed hash of it (see docs/activities.md).
	Voter string `json:"voter"`
	// User is the participant's user id, or "" when the link is not kept.
	User string `json:"user,omitempty"`
	// AttemptID is the client's id for this answer; sending it again is
	// answered with the same acknowledgement and stores nothing new.
	AttemptID string `json:"attempt_id"`
	Choices   []int  `json:"choices,omitempty"`
	Text      string `json:"text,omitempty"`
	// Score is 1 for a correct quiz answer, 0 for a wrong one, nil for a
	// poll.
	Score       *float64  `json:"score,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
	// Replace lets this answer replace the voter's earlier one (the poll
	// is Changeable). Not stored.
	Replace bool `json:"-"`
}

// SubmitOutcome is what the store did with one submission.
type SubmitOutcome int

const (
	// Stored: the answer is committed (new, or replacing an earlier one).
	Stored SubmitOutcome = iota + 1
	// Duplicate: the same voter's same attempt was stored before; nothing
	// new was written and Existing holds what was stored.
	Duplicate
	// AlreadyAnswered: the voter answered with another attempt and the
	// poll does not allow changes; nothing was written.
	AlreadyAnswered
)

func (o SubmitOutcome) String() string {
	switch o {
	case Stored:
		return "stored"
	case Duplicate:
		return "duplicate"
	case AlreadyAnswered:
		return "already_answered"
	}
	return "unknown"
}

// SubmitResult is the outcome of one submission of a batch.
type SubmitResult struct {
	Outcome SubmitOutcome
	// Existing is the stored submission for Duplicate and AlreadyAnswered.
	Existing Submission
}

// Results are a closed poll's aggregate.
type Results struct {
	Poll string `json:"poll"`
	// Counts[i] is how many answers chose option i (empty for text polls).
	Counts []int `json:"counts"`
	// Total is the number of answers.
	Total int `json:"total"`
	// Texts are the free-text answers, in a random order, without names.
	Texts []string `json:"texts,omitempty"`
	// Correct repeats the quiz's correct options; CorrectCount is how many
	// answers were entirely correct.
	Correct      []int     `json:"correct,omitempty"`
	CorrectCount int       `json:"correct_count,omitempty"`
	ComputedAt   time.Time `json:"computed_at"`
}
