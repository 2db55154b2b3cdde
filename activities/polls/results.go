package polls

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// Aggregate computes the results of p from its stored submissions at at.
// subs are the poll's submissions (Store.Submissions); Aggregate counts
// one answer per voter (the latest, should subs hold several) and ignores
// choices that are not options.
// Texts come without names in an order drawn from rnd that does not depend
// on the order of subs (they are sorted, then shuffled); a nil rnd uses
// the randomly seeded global source. A quiz's results repeat the correct
// options and count the entirely correct answers.
func Aggregate(p activities.Poll, subs []activities.Submission, rnd *rand.Rand, at time.Time) activities.Results {
	r := activities.Results{
		Poll:       p.ID,
		Counts:     make([]int, len(p.Options)),
		Correct:    slices.Clone(p.Correct),
		ComputedAt: at,
	}
	for _, s := range latestPerVoter(subs) {
		r.Total++
		if p.Kind == activities.KindText {
			if s.Text != "" {
				r.Texts = append(r.Texts, s.Text)
			}
			continue
		}
		choices := sortedSet(s.Choices)
		for _, c := range choices {
			if c >= 0 && c < len(r.Counts) {
				r.Counts[c]++
			}
		}
		if p.Quiz() && sameSet(choices, p.Correct) {
			r.CorrectCount++
		}
	}
	slices.Sort(r.Texts)
	shuffle := rand.Shuffle
	if rnd != nil {
		shuffle = rnd.Shuffle
	}
	shuffle(len(r.Texts), func(i, j int) { r.Texts[i], r.Texts[j] = r.Texts[j], r.Texts[i] })
	return r
}

// latestPerVoter returns one submission per voter: the one submitted last,
// the later in subs on a tie.
func latestPerVoter(subs []activities.Submission) []activities.Submission {
	at := make(map[string]int, len(subs)) // voter → index in out
	out := make([]activities.Submission, 0, len(subs))
	for _, s := range subs {
		i, seen := at[s.Voter]
		if !seen {
			at[s.Voter] = len(out)
			out = append(out, s)
			continue
		}
		if !s.SubmittedAt.Before(out[i].SubmittedAt) {
			out[i] = s
		}
	}
	return out
}
