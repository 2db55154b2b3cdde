package polls

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// The functions below return the payloads of the app frames the server
// sends about polls (docs/activities.md). Each is marshalled from a
// struct of its own listing exactly the fields the frame may carry, so
// that a secret (the correct options before the results, a ballot key, a
// user id or voter key of an anonymous poll) cannot reach a client through
// a field added to the records later.

// startedPoll is the public view of an open poll: no Correct, no
// BallotKey.
type startedPoll struct {
	ID         string   `json:"id"`
	CreatedBy  string   `json:"created_by"`
	Kind       string   `json:"kind"`
	Question   string   `json:"question"`
	Options    []string `json:"options"`
	Anonymous  bool     `json:"anonymous"`
	Changeable bool     `json:"changeable"`
	OpenedAt   string   `json:"opened_at"`
}

// Started returns the poll_started payload of p, sent to everyone. It
// never carries p.Correct or p.BallotKey. CreatedBy, the teacher who
// opened the poll, is kept even for an anonymous poll: the ballot hides
// who answered, not who asked.
func Started(p activities.Poll) []byte {
	options := p.Options
	if options == nil {
		options = []string{}
	}
	return marshal(struct {
		Type string      `json:"type"`
		Poll startedPoll `json:"poll"`
	}{"poll_started", startedPoll{
		ID:         p.ID,
		CreatedBy:  p.CreatedBy,
		Kind:       p.Kind,
		Question:   p.Question,
		Options:    options,
		Anonymous:  p.Anonymous,
		Changeable: p.Changeable,
		OpenedAt:   p.OpenedAt.UTC().Format(time.RFC3339Nano),
	}})
}

// Ack returns the poll_ack payload of an answer, sent to its author once
// it is committed: the poll and attempt ids only.
func Ack(poll, attempt string) []byte {
	return marshal(struct {
		Type      string `json:"type"`
		Poll      string `json:"poll"`
		AttemptID string `json:"attempt_id"`
	}{"poll_ack", poll, attempt})
}

// TallyFrame returns the poll_tally payload of p, sent to teachers and
// moderators: the live counts, the number of answers and the number of
// participants present.
func TallyFrame(p activities.Poll, t *Tally, present int) []byte {
	return marshal(struct {
		Type     string `json:"type"`
		Poll     string `json:"poll"`
		Counts   []int  `json:"counts"`
		Answered int    `json:"answered"`
		Present  int    `json:"present"`
	}{"poll_tally", p.ID, t.Counts(), t.Answered(), present})
}

// Closed returns the poll_closed payload, sent to everyone at the close.
func Closed(poll string) []byte {
	return marshal(struct {
		Type string `json:"type"`
		Poll string `json:"poll"`
	}{"poll_closed", poll})
}

// publicResults is what clients see of activities.Results. CorrectCount is
// present whenever Correct is (a quiz nobody got right says 0), and Texts
// is an array for a text poll (one without counts) even when empty.
type publicResults struct {
	Counts       []int    `json:"counts"`
	Total        int      `json:"total"`
	Correct      []int    `json:"correct,omitempty"`
	CorrectCount *int     `json:"correct_count,omitempty"`
	Texts        []string `json:"texts,omitzero"`
}

// ResultsFrame returns the poll_results payload of r: counts, total, the
// shuffled texts and, for a quiz, the correct options and how many
// answers were correct.
func ResultsFrame(r activities.Results) []byte {
	pr := publicResults{
		Counts:  r.Counts,
		Total:   r.Total,
		Correct: r.Correct,
		Texts:   r.Texts,
	}
	if pr.Counts == nil {
		pr.Counts = []int{}
	}
	if len(r.Correct) > 0 {
		pr.CorrectCount = &r.CorrectCount
	}
	if len(r.Counts) == 0 && r.Texts == nil {
		pr.Texts = []string{}
	}
	return marshal(struct {
		Type    string        `json:"type"`
		Poll    string        `json:"poll"`
		Results publicResults `json:"results"`
	}{"poll_results", r.Poll, pr})
}

// marshal encodes a frame. The frames are fixed structs of strings, ints
// and bools (times are formatted beforehand: a time.Time outside years 0
// to 9999 fails to marshal), which always encode; a failure is a bug.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("polls: marshal frame: %v", err))
	}
	return b
}
