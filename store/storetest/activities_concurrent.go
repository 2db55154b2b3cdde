package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
)

// testSubmitConcurrentVoter races two batches with different attempts of
// one voter, many times: exactly one is stored, the other finds it.
func testSubmitConcurrentVoter(t *testing.T, s activities.Store) {
	const rounds = 20
	for r := range rounds {
		voter := fmt.Sprintf("v-%02d", r)
		attempts := [2]activities.Submission{answer("p-1", voter, "a-x", 0), answer("p-1", voter, "a-y", 1)}
		var results [2]activities.SubmitResult
		race(t, func(i int) error {
			res, err := s.SubmitAnswers(context.Background(), attempts[i:i+1])
			if err == nil {
				results[i] = res[0]
			}
			return err
		})
		winner := 0
		if results[1].Outcome == activities.Stored {
			winner = 1
		}
		loser := 1 - winner
		if results[winner].Outcome != activities.Stored || results[loser].Outcome != activities.AlreadyAnswered ||
			results[loser].Existing.AttemptID != attempts[winner].AttemptID {
			t.Fatalf("round %d: outcomes %v, %v (existing %q)", r, results[0].Outcome, results[1].Outcome, results[loser].Existing.AttemptID)
		}
	}
	subs := submissions(t, s, "p-1")
	if len(subs) != rounds {
		t.Fatalf("%d answers stored for %d voters", len(subs), rounds)
	}
}

// testSubmitOverlappingBatches races two batches over the same 32 voters,
// one in reverse order, so that a store locking rows in batch order would
// deadlock; every voter ends with exactly one answer.
func testSubmitOverlappingBatches(t *testing.T, s activities.Store) {
	const voters = 32
	var batches [2][]activities.Submission
	for v := range voters {
		batches[0] = append(batches[0], answer("p-1", fmt.Sprintf("v-%02d", v), "a-first", 0))
		batches[1] = append(batches[1], answer("p-1", fmt.Sprintf("v-%02d", voters-1-v), "a-second", 1))
	}
	var results [2][]activities.SubmitResult
	race(t, func(i int) error {
		res, err := s.SubmitAnswers(context.Background(), batches[i])
		results[i] = res
		return err
	})
	storedBy := map[string]int{}
	for i, res := range results {
		if len(res) != voters {
			t.Fatalf("batch %d: %d results for %d submissions", i, len(res), voters)
		}
		for j, r := range res {
			switch r.Outcome {
			case activities.Stored:
				storedBy[batches[i][j].Voter]++
			case activities.AlreadyAnswered:
			default:
				t.Fatalf("batch %d, voter %s: %v", i, batches[i][j].Voter, r.Outcome)
			}
		}
	}
	subs := submissions(t, s, "p-1")
	if len(subs) != voters || len(storedBy) != voters {
		t.Fatalf("%d answers stored, %d voters stored, want %d", len(subs), len(storedBy), voters)
	}
	for voter, n := range storedBy {
		if n != 1 {
			t.Fatalf("voter %s stored %d times", voter, n)
		}
	}
}

// race runs fn(0) and fn(1) at once, as nearly as goroutines allow.
func race(t *testing.T, fn func(i int) error) {
	t.Helper()
	var start, wg sync.WaitGroup
	start.Add(1)
	var errs [2]error
	for i := range 2 {
		wg.Go(func() {
			start.Wait()
			errs[i] = fn(i)
		})
	}
	start.Done()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
