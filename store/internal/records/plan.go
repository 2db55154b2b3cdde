package records

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/homeroom-edu/homeroom/activities"
)

// Key is what a store keeps unique: one answer per voter and poll.
type Key struct{ Poll, Voter string }

// KeyOf returns the key of a submission.
func KeyOf(s activities.Submission) Key { return Key{s.Poll, s.Voter} }

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Poll, b.Poll), cmp.Compare(a.Voter, b.Voter))
}

// Keys returns the distinct keys of subs in key order, the order in which
// stores lock and write rows so that concurrent batches cannot deadlock.
func Keys(subs []activities.Submission) []Key {
	keys := make([]Key, 0, len(subs))
	for _, s := range subs {
		keys = append(keys, KeyOf(s))
	}
	slices.SortFunc(keys, compareKeys)
	return slices.Compact(keys)
}

// Plan decides the outcome of each submission of a batch, in order.
// stored holds, by key, the answers stored before the batch; a key missing
// from it has none. A submission whose attempt is the stored one (or one
// stored earlier in the batch) is a Duplicate; one from a voter with
// another answer is AlreadyAnswered unless it may Replace it; any other is
// Stored.
//
// Plan returns one result per submission and the rows the batch writes:
// the last answer Stored for each key, in key order, as the stores keep
// them (Submission). A row whose key is in stored replaces that row;
// any other is new. It fails on a submission without poll, voter or
// attempt id, and then nothing must be written.
func Plan(subs []activities.Submission, stored map[Key]activities.Submission) ([]activities.SubmitResult, []activities.Submission, error) {
	results := make([]activities.SubmitResult, len(subs))
	current := make(map[Key]activities.Submission, len(subs))
	written := make(map[Key]bool, len(subs))
	for i, s := range subs {
		if s.Poll == "" || s.Voter == "" || s.AttemptID == "" {
			return nil, nil, fmt.Errorf("submission %d: poll, voter and attempt id are required", i)
		}
		k := KeyOf(s)
		prev, ok := current[k]
		if !ok {
			prev, ok = stored[k]
		}
		switch {
		case ok && prev.AttemptID == s.AttemptID:
			results[i] = activities.SubmitResult{Outcome: activities.Duplicate, Existing: prev}
		case ok && !s.Replace:
			results[i] = activities.SubmitResult{Outcome: activities.AlreadyAnswered, Existing: prev}
		default:
			current[k], written[k] = Submission(s), true
			results[i] = activities.SubmitResult{Outcome: activities.Stored}
		}
	}
	rows := make([]activities.Submission, 0, len(written))
	for k := range written {
		rows = append(rows, current[k])
	}
	slices.SortFunc(rows, func(a, b activities.Submission) int { return compareKeys(KeyOf(a), KeyOf(b)) })
	return results, rows, nil
}
