package polls

import (
	"fmt"
	"slices"

	"github.com/homeroom-edu/homeroom/activities"
)

// Limits of a poll_answer request.
const (
	MaxAttemptID = activities.MaxClientID // bytes of printable ASCII
	MaxText      = 500                    // characters of a text answer, after trimming
)

// AnswerRequest is the JSON of a poll_answer app frame: Choices for a
// choice poll, Text for a text poll.
type AnswerRequest struct {
	Poll      string `json:"poll"`
	AttemptID string `json:"attempt_id"`
	Choices   []int  `json:"choices"`
	Text      string `json:"text"`
}

// Check reports whether a may be stored as an answer to p, which the
// caller found by a.Poll. A refusal is an *AnswerError with code
// CodeBadAnswer or CodePollClosed. An anonymous poll without its
// BallotKey counts as closed: the key is erased at the close, and without
// it no voter key can be derived.
//
// Choices may come in any order; Check does not modify a, and Submission
// stores them sorted.
func Check(p activities.Poll, a AnswerRequest) error {
	if msg := checkAttemptID(a.AttemptID); msg != "" {
		return badAnswer(msg)
	}
	if p.Closed() || (p.Anonymous && len(p.BallotKey) == 0) {
		return &AnswerError{Code: CodePollClosed, Msg: "the poll is closed"}
	}
	if p.Kind == activities.KindText {
		if len(a.Choices) > 0 {
			return badAnswer("a text poll takes a text, not choices")
		}
		if _, problem := cleanText(a.Text, MaxText, true, "the answer"); problem != "" {
			return badAnswer(problem)
		}
		return nil
	}
	if a.Text != "" {
		return badAnswer("a choice poll takes choices, not a text")
	}
	switch n := len(a.Choices); {
	case n == 0:
		return badAnswer("no option chosen")
	case n > 1 && p.Kind != activities.KindMultiple:
		return badAnswer(fmt.Sprintf("choose exactly one option, not %d", n))
	case n > len(p.Options):
		return badAnswer(fmt.Sprintf("%d choices for %d options", n, len(p.Options)))
	}
	for _, c := range a.Choices {
		if c < 0 || c >= len(p.Options) {
			return badAnswer(fmt.Sprintf("no option %d: options are numbered 0 to %d", c, len(p.Options)-1))
		}
	}
	if len(sortedSet(a.Choices)) != len(a.Choices) {
		return badAnswer("an option is chosen twice")
	}
	return nil
}

// checkAttemptID returns what is wrong with an attempt id, "" if nothing.
func checkAttemptID(id string) string {
	if id == "" {
		return "missing attempt_id"
	}
	if len(id) > MaxAttemptID {
		return fmt.Sprintf("attempt_id is %d bytes long; the limit is %d", len(id), MaxAttemptID)
	}
	if !activities.PrintableASCII(id) {
		return "attempt_id must be printable ASCII"
	}
	return ""
}

// Score scores the choices of an answer to p: 1 when they are exactly the
// set p.Correct, in any order, else 0; nil when p is not a quiz.
func Score(p activities.Poll, choices []int) *float64 {
	if !p.Quiz() {
		return nil
	}
	score := 0.0
	if sameSet(choices, p.Correct) {
		score = 1
	}
	return &score
}

// sameSet reports whether a and b hold the same set of ints.
func sameSet(a, b []int) bool {
	a, b = sortedSet(a), sortedSet(b)
	return slices.Equal(a, b)
}

// sortedSet returns the distinct values of s in increasing order, in a new
// slice (nil when s is empty).
func sortedSet(s []int) []int {
	if len(s) == 0 {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
