package polls

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// Limits of a poll_open request. Lengths count characters (runes) after
// surrounding white space is trimmed.
const (
	MaxQuestion = 500 // characters of the question
	MinOptions  = 2   // options of a single or multiple choice poll
	MaxOptions  = 20
	MaxOption   = 200 // characters of one option
)

// OpenRequest is the JSON of a poll_open app frame (its "type" is read by
// the caller's router). Options are ignored for yes_no and true_false,
// whose options are fixed; Correct, when set, makes the poll a quiz.
type OpenRequest struct {
	Kind       string   `json:"kind"`
	Question   string   `json:"question"`
	Options    []string `json:"options,omitempty"`
	Correct    []int    `json:"correct,omitempty"`
	Anonymous  bool     `json:"anonymous"`
	Changeable bool     `json:"changeable"`
}

// Poll validates the request and returns the poll it opens, with id and
// session, created by user by, opened at at. It normalises what it keeps:
// the question and options are trimmed, yes_no and true_false get their
// fixed options, Correct is sorted (nil for a poll that is not a quiz) and
// an anonymous poll gets a fresh BallotKey. A refusal is an *OpenError
// whose message is meant for the teacher.
func (r OpenRequest) Poll(id, session, by string, at time.Time) (activities.Poll, error) {
	if !validKind(r.Kind) {
		return activities.Poll{}, openError("kind", fmt.Sprintf("unknown poll kind %q: use single, multiple, yes_no, true_false or text", r.Kind))
	}
	question, problem := cleanText(r.Question, MaxQuestion, true, "the question")
	if problem != "" {
		return activities.Poll{}, openError("question", problem)
	}
	options, err := r.options()
	if err != nil {
		return activities.Poll{}, err
	}
	correct, err := r.correct(len(options))
	if err != nil {
		return activities.Poll{}, err
	}
	p := activities.Poll{
		ID:         id,
		Session:    session,
		CreatedBy:  by,
		Kind:       r.Kind,
		Question:   question,
		Options:    options,
		Correct:    correct,
		Anonymous:  r.Anonymous,
		Changeable: r.Changeable,
		OpenedAt:   at,
	}
	if p.Anonymous {
		p.BallotKey = NewBallotKey()
	}
	return p, nil
}

// validKind reports whether kind is one of the poll kinds.
func validKind(kind string) bool {
	switch kind {
	case activities.KindSingle, activities.KindMultiple, activities.KindYesNo, activities.KindTrueFalse, activities.KindText:
		return true
	}
	return false
}

// options returns the normalised options of the request's (valid) kind.
func (r OpenRequest) options() ([]string, error) {
	switch r.Kind {
	case activities.KindYesNo:
		return []string{"Yes", "No"}, nil
	case activities.KindTrueFalse:
		return []string{"True", "False"}, nil
	case activities.KindText:
		if len(r.Options) > 0 {
			return nil, openError("options", "a text poll has no options")
		}
		return nil, nil
	}
	if n := len(r.Options); n < MinOptions || n > MaxOptions {
		return nil, openError("options", fmt.Sprintf("a %s choice poll needs %d to %d options, got %d", r.Kind, MinOptions, MaxOptions, n))
	}
	options := make([]string, len(r.Options))
	for i, o := range r.Options {
		o, problem := cleanText(o, MaxOption, false, fmt.Sprintf("option %d", i+1))
		if problem != "" {
			return nil, openError("options", problem)
		}
		if j := slices.Index(options[:i], o); j >= 0 {
			return nil, openError("options", fmt.Sprintf("options %d and %d are the same (%q)", j+1, i+1, o))
		}
		options[i] = o
	}
	return options, nil
}

// correct returns the sorted correct indexes of a poll with n options.
func (r OpenRequest) correct(n int) ([]int, error) {
	if len(r.Correct) == 0 {
		return nil, nil
	}
	if r.Kind == activities.KindText {
		return nil, openError("correct", "a text poll cannot have correct answers")
	}
	if r.Kind != activities.KindMultiple && len(r.Correct) > 1 {
		return nil, openError("correct", fmt.Sprintf("a %s poll has one correct answer, got %d", r.Kind, len(r.Correct)))
	}
	correct := slices.Clone(r.Correct)
	slices.Sort(correct)
	for i, c := range correct {
		if c < 0 || c >= n {
			return nil, openError("correct", fmt.Sprintf("correct answer %d is not an option: options are numbered 0 to %d", c, n-1))
		}
		if i > 0 && correct[i-1] == c {
			return nil, openError("correct", fmt.Sprintf("correct answer %d is listed twice", c))
		}
	}
	return correct, nil
}

// NewPollID returns a fresh random poll id: "p-" and 16 hexadecimal
// digits (64 random bits).
func NewPollID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand.Read)
	return "p-" + hex.EncodeToString(b[:])
}
