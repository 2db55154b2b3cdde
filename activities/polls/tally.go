package polls

import (
	"math/bits"
	"slices"

	"github.com/homeroom-edu/homeroom/activities"
)

// Tally is the live count of a poll's answers, one per voter: an answer
// from a voter who answered before replaces the earlier one (a Changeable
// poll), so nothing is counted twice. Add is O(choices) with no
// allocation beyond the growth of its tables.
//
// A Tally belongs to the session goroutine and is not safe for concurrent
// use. Feed it only answers the store committed.
type Tally struct {
	counts []int
	// voters maps a voter to their current answer.
	voters map[string]tallied
	// texts holds the current text answers; textVoters[i] is the voter of
	// texts[i], so that a replaced text can be removed in O(1).
	texts      []string
	textVoters []string
}

// tallied is one voter's current answer: the set of chosen options as a
// bitmask (MaxOptions fits), or the index of their text in Tally.texts
// (-1 for none).
type tallied struct {
	choices uint64
	text    int
}

// NewTally returns an empty tally of p's answers.
func NewTally(p activities.Poll) *Tally {
	return &Tally{
		counts: make([]int, len(p.Options)),
		voters: make(map[string]tallied),
	}
}

// Add counts voter's answer, replacing their earlier one if any. Choices
// outside the poll's options (or beyond the 64th) and repeated choices
// are ignored; an empty text is not kept.
func (t *Tally) Add(voter string, choices []int, text string) {
	old, replacing := t.voters[voter]
	if replacing {
		t.forget(old)
	}
	var a tallied
	for _, c := range choices {
		if c >= 0 && c < len(t.counts) && c < 64 {
			a.choices |= 1 << c
		}
	}
	for m := a.choices; m != 0; m &= m - 1 {
		t.counts[bits.TrailingZeros64(m)]++
	}
	a.text = -1
	if text != "" {
		a.text = len(t.texts)
		t.texts = append(t.texts, text)
		t.textVoters = append(t.textVoters, voter)
	}
	t.voters[voter] = a
}

// forget uncounts an answer.
func (t *Tally) forget(a tallied) {
	for m := a.choices; m != 0; m &= m - 1 {
		t.counts[bits.TrailingZeros64(m)]--
	}
	if a.text < 0 {
		return
	}
	// Move the last text into the freed slot.
	last := len(t.texts) - 1
	if a.text != last {
		t.texts[a.text] = t.texts[last]
		t.textVoters[a.text] = t.textVoters[last]
		moved := t.voters[t.textVoters[a.text]]
		moved.text = a.text
		t.voters[t.textVoters[a.text]] = moved
	}
	t.texts[last], t.textVoters[last] = "", ""
	t.texts, t.textVoters = t.texts[:last], t.textVoters[:last]
}

// Counts returns how many current answers chose each option, in a new
// slice (empty for a text poll).
func (t *Tally) Counts() []int { return slices.Clone(t.counts) }

// Answered returns the number of voters who answered.
func (t *Tally) Answered() int { return len(t.voters) }

// Texts returns the current text answers sorted, so that their order says
// nothing of who answered when.
func (t *Tally) Texts() []string {
	texts := slices.Clone(t.texts)
	slices.Sort(texts)
	return texts
}
