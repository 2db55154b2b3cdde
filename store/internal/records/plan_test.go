package records

import (
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestPlanWritesTheLastStoredAnswerPerVoterInKeyOrder(t *testing.T) {
	sub := func(poll, voter, attempt string, replace bool) activities.Submission {
		return activities.Submission{Poll: poll, Voter: voter, AttemptID: attempt, Replace: replace,
			SubmittedAt: time.Date(2026, 11, 30, 9, 0, 0, 1234, time.FixedZone("CET", 3600))}
	}
	stored := map[Key]activities.Submission{{"p-1", "v-b"}: sub("p-1", "v-b", "a-0", false)}
	subs := []activities.Submission{
		sub("p-2", "v-a", "a-1", false),
		sub("p-1", "v-b", "a-2", false), // AlreadyAnswered
		sub("p-1", "v-b", "a-3", true),  // Stored, replacing a-0
		sub("p-1", "v-b", "a-4", true),  // Stored, replacing a-3
		sub("p-1", "v-b", "a-3", true),  // Stored: a-3 is no longer the answer, and it may replace a-4
		sub("p-1", "v-a", "a-5", false),
	}
	results, rows, err := Plan(subs, stored)
	if err != nil {
		t.Fatal(err)
	}
	want := []activities.SubmitOutcome{activities.Stored, activities.AlreadyAnswered, activities.Stored,
		activities.Stored, activities.Stored, activities.Stored}
	for i, r := range results {
		if r.Outcome != want[i] {
			t.Errorf("submission %d: %v, want %v", i, r.Outcome, want[i])
		}
	}
	if results[1].Existing.AttemptID != "a-0" {
		t.Errorf("AlreadyAnswered carries %q, want the stored a-0", results[1].Existing.AttemptID)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Poll+"/"+r.Voter+"/"+r.AttemptID)
		if r.Replace || r.SubmittedAt.Location() != time.UTC || r.SubmittedAt.Nanosecond() != 1000 {
			t.Errorf("row %+v is not canonical", r)
		}
	}
	if w := []string{"p-1/v-a/a-5", "p-1/v-b/a-3", "p-2/v-a/a-1"}; len(got) != len(w) || got[0] != w[0] || got[1] != w[1] || got[2] != w[2] {
		t.Fatalf("rows = %v, want %v", got, w)
	}
}

func TestKeysAreDistinctAndSorted(t *testing.T) {
	keys := Keys([]activities.Submission{{Poll: "p-2", Voter: "a"}, {Poll: "p-1", Voter: "b"}, {Poll: "p-2", Voter: "a"}, {Poll: "p-1", Voter: "a"}})
	if len(keys) != 3 || keys[0] != (Key{"p-1", "a"}) || keys[1] != (Key{"p-1", "b"}) || keys[2] != (Key{"p-2", "a"}) {
		t.Fatalf("Keys = %v", keys)
	}
}
