package polls

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestTally(t *testing.T) {
	type add struct {
		voter   string
		choices []int
		text    string
	}
	tests := []struct {
		name     string
		req      OpenRequest
		adds     []add
		counts   []int
		answered int
		texts    []string
	}{
		{name: "empty", req: OpenRequest{Kind: "yes_no", Question: "q"},
			counts: []int{0, 0}, texts: []string{}},
		{name: "single", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b", "c"}},
			adds:   []add{{"v1", []int{0}, ""}, {"v2", []int{2}, ""}, {"v3", []int{2}, ""}},
			counts: []int{1, 0, 2}, answered: 3, texts: []string{}},
		{name: "changed answer replaces", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}},
			adds:   []add{{"v1", []int{0}, ""}, {"v2", []int{0}, ""}, {"v1", []int{1}, ""}, {"v1", []int{1}, ""}},
			counts: []int{1, 1}, answered: 2, texts: []string{}},
		{name: "multiple replaced by a subset", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}},
			adds:   []add{{"v1", []int{0, 1, 2}, ""}, {"v2", []int{1}, ""}, {"v1", []int{2}, ""}},
			counts: []int{0, 1, 1}, answered: 2, texts: []string{}},
		{name: "bad choices ignored", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b"}},
			adds:   []add{{"v1", []int{1, 1, -1, 2, 64, 1 << 40}, ""}},
			counts: []int{0, 1}, answered: 1, texts: []string{}},
		{name: "texts", req: OpenRequest{Kind: "text", Question: "q"},
			adds:   []add{{"v1", nil, "b"}, {"v2", nil, "a"}, {"v3", nil, "c"}},
			counts: []int{}, answered: 3, texts: []string{"a", "b", "c"}},
		{name: "first text replaced", req: OpenRequest{Kind: "text", Question: "q"},
			adds:   []add{{"v1", nil, "one"}, {"v2", nil, "two"}, {"v3", nil, "three"}, {"v1", nil, "uno"}},
			counts: []int{}, answered: 3, texts: []string{"three", "two", "uno"}},
		{name: "moved text replaced", req: OpenRequest{Kind: "text", Question: "q"},
			adds: []add{{"v1", nil, "one"}, {"v2", nil, "two"}, {"v3", nil, "three"},
				{"v1", nil, "uno"}, {"v3", nil, "tres"}, {"v2", nil, "dos"}, {"v3", nil, "drei"}},
			counts: []int{}, answered: 3, texts: []string{"dos", "drei", "uno"}},
		{name: "last text replaced", req: OpenRequest{Kind: "text", Question: "q"},
			adds:   []add{{"v1", nil, "one"}, {"v2", nil, "two"}, {"v2", nil, "zwei"}},
			counts: []int{}, answered: 2, texts: []string{"one", "zwei"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally := NewTally(mustPoll(t, tt.req))
			for _, a := range tt.adds {
				tally.Add(a.voter, a.choices, a.text)
			}
			if got := tally.Counts(); !slices.Equal(got, tt.counts) || got == nil {
				t.Errorf("Counts() = %#v, want %v", got, tt.counts)
			}
			if got := tally.Answered(); got != tt.answered {
				t.Errorf("Answered() = %d, want %d", got, tt.answered)
			}
			if got := tally.Texts(); !slices.Equal(got, tt.texts) {
				t.Errorf("Texts() = %q, want %q", got, tt.texts)
			}
		})
	}
}

func TestTallyCountsAreCopies(t *testing.T) {
	tally := NewTally(mustPoll(t, OpenRequest{Kind: "yes_no", Question: "q"}))
	tally.Add("v1", []int{0}, "")
	c := tally.Counts()
	c[0] = 99
	if got := tally.Counts(); got[0] != 1 {
		t.Errorf("changing Counts()' result changed the tally: %v", got)
	}
}

// TestTallyMatchesRecount adds random answers, many of them changes, and
// checks after each that the tally equals a recount of the latest answer
// of every voter.
func TestTallyMatchesRecount(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, kind := range []string{"multiple", "text"} {
		req := OpenRequest{Kind: kind, Question: "q"}
		if kind == "multiple" {
			req.Options = []string{"a", "b", "c", "d", "e"}
		}
		tally := NewTally(mustPoll(t, req))
		type answer struct {
			choices []int
			text    string
		}
		latest := map[string]answer{}
		for i := range 3000 {
			voter := fmt.Sprintf("v%d", rnd.IntN(200))
			var a answer
			if kind == "text" {
				a.text = fmt.Sprintf("t%d", rnd.IntN(50))
			} else {
				for c := range 5 {
					if rnd.IntN(2) == 0 {
						a.choices = append(a.choices, c)
					}
				}
			}
			tally.Add(voter, a.choices, a.text)
			latest[voter] = a

			counts, texts := make([]int, len(req.Options)), []string{}
			for _, a := range latest {
				for _, c := range a.choices {
					counts[c]++
				}
				if a.text != "" {
					texts = append(texts, a.text)
				}
			}
			slices.Sort(texts)
			if got := tally.Counts(); !slices.Equal(got, counts) {
				t.Fatalf("%s, add %d: Counts() = %v, recount %v", kind, i, got, counts)
			}
			if got := tally.Texts(); !slices.Equal(got, texts) {
				t.Fatalf("%s, add %d: Texts() = %q, recount %q", kind, i, got, texts)
			}
			if got := tally.Answered(); got != len(latest) {
				t.Fatalf("%s, add %d: Answered() = %d, want %d", kind, i, got, len(latest))
			}
		}
	}
}

// TestTally2000AnswersIn2s is the target of a class rush: 2,000 answers,
// each followed by the tally frame, well within 2 s even under -race on a
// busy machine. BenchmarkTallyAdd has the real numbers.
func TestTally2000AnswersIn2s(t *testing.T) {
	p := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c", "d"}})
	tally := NewTally(p)
	voters := make([]string, 2000)
	for i := range voters {
		voters[i] = Voter(p, fmt.Sprintf("u-%d", i))
	}
	start := time.Now()
	for i, v := range voters {
		tally.Add(v, []int{i % 4, (i + 1) % 4}, "")
		_ = TallyFrame(p, tally, 2000)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("2,000 answers took %v", d)
	}
	if got := tally.Answered(); got != 2000 {
		t.Errorf("Answered() = %d, want 2000", got)
	}
}
