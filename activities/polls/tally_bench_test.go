package polls

import (
	"fmt"
	"testing"
)

func BenchmarkTallyAdd(b *testing.B) {
	p := mustPoll(b, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c", "d"}, Anonymous: true})
	voters := make([]string, 2000)
	for i := range voters {
		voters[i] = Voter(p, fmt.Sprintf("u-%d", i))
	}
	choices := [][]int{{0}, {1, 2}, {0, 3}, {3}}

	b.Run("choices", func(b *testing.B) {
		// The first 2,000 answers are new, the rest changes.
		b.ReportAllocs()
		tally := NewTally(p)
		i := 0
		for b.Loop() {
			tally.Add(voters[i%len(voters)], choices[i%len(choices)], "")
			i++
		}
	})
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		tally := NewTally(mustPoll(b, OpenRequest{Kind: "text", Question: "q"}))
		i := 0
		for b.Loop() {
			tally.Add(voters[i%len(voters)], nil, "an answer")
			i++
		}
	})
	b.Run("class of 2000", func(b *testing.B) {
		// One op is a whole class answering once, into a fresh tally.
		b.ReportAllocs()
		for b.Loop() {
			tally := NewTally(p)
			for i, v := range voters {
				tally.Add(v, choices[i%len(choices)], "")
			}
		}
	})
}

func BenchmarkTallyFrame(b *testing.B) {
	p := mustPoll(b, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c", "d"}})
	tally := NewTally(p)
	for i := range 2000 {
		tally.Add(fmt.Sprint(i), []int{i % 4}, "")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = TallyFrame(p, tally, 2000)
	}
}
