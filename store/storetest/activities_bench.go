package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// BenchActivities measures an activities.Store's write paths: poll
// answers committed one at a time and in a group commit of 64 (what a
// class answering at once produces), and a batch of 256 engagement
// events. Each reports its rate (answers/s, events/s) beside ns/op.
func BenchActivities(b *testing.B, s activities.Store) {
	ctx := context.Background()
	voter := 0 // across runs: every answer is a new voter's
	for _, batch := range []int{1, 64} {
		b.Run(fmt.Sprintf("SubmitAnswers/batch=%d", batch), func(b *testing.B) {
			subs := make([]activities.Submission, batch)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for i := range subs {
					voter++
					subs[i] = activities.Submission{Poll: "p-bench", Session: "ses-bench",
						Voter: fmt.Sprintf("v-%d", voter), AttemptID: fmt.Sprintf("a-%d", voter),
						Choices: []int{voter % 4}, SubmittedAt: time.Now()}
				}
				res, err := s.SubmitAnswers(ctx, subs)
				if err != nil || res[batch-1].Outcome != activities.Stored {
					b.Fatalf("SubmitAnswers = %v, %v", res, err)
				}
				n += batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "answers/s")
		})
	}
	b.Run("AppendEvents/batch=256", func(b *testing.B) {
		evs := make([]activities.Event, 256)
		kinds := []string{activities.EventStroke, activities.EventChat, activities.EventHand, activities.EventPollAnswer}
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			now := time.Now()
			for j := range evs {
				evs[j] = activities.Event{Session: fmt.Sprint("ses-", i%50), User: fmt.Sprint("u-", j%30),
					Kind: kinds[j%len(kinds)], At: now.Add(time.Duration(j) * time.Millisecond)}
			}
			if err := s.AppendEvents(ctx, evs); err != nil {
				b.Fatal(err)
			}
			n += len(evs)
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	})
}
