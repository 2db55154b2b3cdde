package polls

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestAggregate(t *testing.T) {
	quiz := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{0, 2}, Changeable: true})
	poll := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}})
	text := mustPoll(t, OpenRequest{Kind: "text", Question: "q"})
	sub := func(voter string, at int, choices ...int) activities.Submission {
		return activities.Submission{Voter: voter, User: voter, Choices: choices, SubmittedAt: t0.Add(time.Duration(at) * time.Second)}
	}
	tests := []struct {
		name         string
		poll         activities.Poll
		subs         []activities.Submission
		counts       []int
		total        int
		correct      []int
		correctCount int
	}{
		{name: "no answers", poll: poll, counts: []int{0, 0}},
		{name: "poll", poll: poll,
			subs:   []activities.Submission{sub("u1", 1, 0), sub("u2", 2, 1), sub("u3", 3, 1)},
			counts: []int{1, 2}, total: 3},
		{name: "quiz", poll: quiz,
			subs:   []activities.Submission{sub("u1", 1, 0, 2), sub("u2", 2, 2, 0), sub("u3", 3, 0), sub("u4", 4, 0, 1, 2)},
			counts: []int{4, 1, 3}, total: 4, correct: []int{0, 2}, correctCount: 2},
		{name: "quiz nobody right", poll: quiz,
			subs:   []activities.Submission{sub("u1", 1, 1)},
			counts: []int{0, 1, 0}, total: 1, correct: []int{0, 2}},
		{name: "one answer per voter, the latest", poll: quiz,
			subs:   []activities.Submission{sub("u1", 5, 1), sub("u2", 1, 1), sub("u1", 2, 0, 2), sub("u1", 5, 0, 2)},
			counts: []int{1, 1, 1}, total: 2, correct: []int{0, 2}, correctCount: 1},
		{name: "bad choices ignored", poll: poll,
			subs:   []activities.Submission{sub("u1", 1, 0, 0, 2, -1)},
			counts: []int{1, 0}, total: 1},
		{name: "text has empty counts", poll: text, counts: []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Aggregate(tt.poll, tt.subs, rand.New(rand.NewPCG(1, 1)), t0)
			if r.Poll != tt.poll.ID || !r.ComputedAt.Equal(t0) {
				t.Errorf("Poll, ComputedAt = %q, %v", r.Poll, r.ComputedAt)
			}
			if !slices.Equal(r.Counts, tt.counts) || r.Counts == nil {
				t.Errorf("Counts = %#v, want %v", r.Counts, tt.counts)
			}
			if r.Total != tt.total {
				t.Errorf("Total = %d, want %d", r.Total, tt.total)
			}
			if !slices.Equal(r.Correct, tt.correct) || r.CorrectCount != tt.correctCount {
				t.Errorf("Correct, CorrectCount = %v, %d, want %v, %d", r.Correct, r.CorrectCount, tt.correct, tt.correctCount)
			}
			if r.Texts != nil {
				t.Errorf("Texts = %q, want none", r.Texts)
			}
		})
	}
}

func TestAggregateCorrectIsACopy(t *testing.T) {
	p := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{1}})
	r := Aggregate(p, nil, nil, t0)
	r.Correct[0] = 0
	if p.Correct[0] != 1 {
		t.Error("the results share Correct with the poll")
	}
}

func TestAggregateTexts(t *testing.T) {
	p := mustPoll(t, OpenRequest{Kind: "text", Question: "q", Anonymous: true})
	var subs []activities.Submission
	var inOrder []string
	for i := range 50 {
		user := fmt.Sprintf("u-%02d", i)
		a := AnswerRequest{AttemptID: "a", Text: fmt.Sprintf("answer %02d", i)}
		subs = append(subs, Submission(p, user, a, true, t0.Add(time.Duration(i)*time.Second)))
		inOrder = append(inOrder, a.Text)
	}

	r := Aggregate(p, subs, rand.New(rand.NewPCG(7, 7)), t0)
	if r.Total != 50 || len(r.Texts) != 50 {
		t.Fatalf("Total, texts = %d, %d, want 50, 50", r.Total, len(r.Texts))
	}
	if slices.Equal(r.Texts, inOrder) {
		t.Error("texts are in submission order")
	}
	if sorted := slices.Sorted(slices.Values(r.Texts)); !slices.Equal(sorted, inOrder) {
		t.Errorf("texts are not the answers: %q", sorted)
	}

	// The order depends on the random source only, not on the order the
	// store returned the submissions in.
	reversed := slices.Clone(subs)
	slices.Reverse(reversed)
	if r2 := Aggregate(p, reversed, rand.New(rand.NewPCG(7, 7)), t0); !slices.Equal(r2.Texts, r.Texts) {
		t.Error("the order of the texts depends on the order of the submissions")
	}
	if r3 := Aggregate(p, subs, rand.New(rand.NewPCG(8, 8)), t0); slices.Equal(r3.Texts, r.Texts) {
		t.Error("two random sources gave the same order")
	}
	if r4 := Aggregate(p, subs, nil, t0); len(r4.Texts) != 50 || slices.Equal(r4.Texts, inOrder) {
		t.Error("a nil source does not shuffle")
	}

	// Texts of a text poll with no answers: none.
	if r := Aggregate(p, nil, nil, t0); r.Total != 0 || len(r.Texts) != 0 || len(r.Counts) != 0 {
		t.Errorf("empty text poll: %+v", r)
	}
}
