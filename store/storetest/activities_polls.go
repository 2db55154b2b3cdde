package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func testPolls(t *testing.T, s activities.Store) {
	ctx := context.Background()
	anon := activities.Poll{
		ID: "p-1", Session: "ses-1", CreatedBy: "u-t", Kind: activities.KindSingle,
		Question: "Which?", Options: []string{"A", "B", "C"}, Anonymous: true, Changeable: true,
		OpenedAt: at(time.Minute), BallotKey: []byte{1, 2, 3, 0, 255},
	}
	quiz := activities.Poll{
		ID: "p-0", Session: "ses-1", CreatedBy: "u-t", Kind: activities.KindTrueFalse,
		Question: "True?", Options: []string{"True", "False"}, Correct: []int{0}, OpenedAt: at(2 * time.Minute),
	}
	text := activities.Poll{
		ID: "p-2", Session: "ses-2", CreatedBy: "u-t", Kind: activities.KindText,
		Question: "Why?", OpenedAt: at(time.Minute),
	}
	for _, p := range []activities.Poll{quiz, anon, text} {
		ok(t, s.SavePoll(ctx, p))
	}
	polls := func(session string) []activities.Poll {
		t.Helper()
		ps, err := s.Polls(ctx, session)
		ok(t, err)
		return ps
	}
	got := polls("ses-1")
	same(t, "polls of ses-1, oldest first", got, []activities.Poll{anon, quiz})
	if !bytes.Equal(got[0].BallotKey, anon.BallotKey) || got[1].BallotKey != nil {
		t.Fatalf("ballot keys = %x, %x; want %x, none", got[0].BallotKey, got[1].BallotKey, anon.BallotKey)
	}
	if !got[1].Quiz() || got[0].Quiz() {
		t.Fatalf("Quiz() = %v, %v", got[0].Quiz(), got[1].Quiz())
	}
	same(t, "polls of ses-2", polls("ses-2"), []activities.Poll{text})

	// Closing and publishing updates the row; a closed poll keeps no
	// ballot key, even if the caller still passes it.
	anon.ClosedAt, anon.Published = at(3*time.Minute), true
	ok(t, s.SavePoll(ctx, anon))
	got = polls("ses-1")
	same(t, "after close", got, []activities.Poll{anon, quiz})
	if got[0].BallotKey != nil {
		t.Fatalf("closed poll kept its ballot key %x", got[0].BallotKey)
	}
}

func answer(poll, voter, attempt string, choices ...int) activities.Submission {
	return activities.Submission{
		Poll: poll, Session: "ses-1", Voter: voter, AttemptID: attempt,
		Choices: choices, SubmittedAt: at(time.Duration(len(voter)+len(attempt)) * time.Second),
	}
}

// submit runs a batch and checks its outcomes; want[i].Existing is
// compared too.
func submit(t *testing.T, s activities.Store, subs []activities.Submission, want []activities.SubmitResult) {
	t.Helper()
	got, err := s.SubmitAnswers(context.Background(), subs)
	ok(t, err)
	same(t, "results", outcomes(got), outcomes(want))
}

// outcomes is results in a comparable, readable form.
func outcomes(rs []activities.SubmitResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Outcome.String()
		if r.Outcome != activities.Stored {
			existing, _ := json.Marshal(r.Existing)
			out[i] += " " + string(existing)
		}
	}
	return out
}

func stored() activities.SubmitResult { return activities.SubmitResult{Outcome: activities.Stored} }

func duplicate(of activities.Submission) activities.SubmitResult {
	of.Replace = false
	return activities.SubmitResult{Outcome: activities.Duplicate, Existing: of}
}

func already(of activities.Submission) activities.SubmitResult {
	of.Replace = false
	return activities.SubmitResult{Outcome: activities.AlreadyAnswered, Existing: of}
}

func submissions(t *testing.T, s activities.Store, poll string) []activities.Submission {
	t.Helper()
	subs, err := s.Submissions(context.Background(), poll)
	ok(t, err)
	return subs
}

func testSubmitOutcomes(t *testing.T, s activities.Store) {
	score := 1.0
	v1 := answer("p-1", "v-1", "a-1", 0)
	v1.User, v1.Score = "u-1", &score
	v2 := answer("p-1", "v-22", "a-2", 1, 2)
	text := answer("p-2", "v-1", "a-1") // the same voter and attempt in another poll
	text.Text = "because"
	submit(t, s, []activities.Submission{v1, v2, text}, []activities.SubmitResult{stored(), stored(), stored()})

	again := v1
	again.Replace = true // a retry is a duplicate, whether or not it may replace
	other := answer("p-1", "v-1", "a-9", 2)
	changed := answer("p-1", "v-22", "a-3", 0)
	changed.Replace = true
	submit(t, s, []activities.Submission{again, other, changed},
		[]activities.SubmitResult{duplicate(v1), already(v1), stored()})

	same(t, "answers of p-1", submissions(t, s, "p-1"), []activities.Submission{v1, withoutReplace(changed)})
	same(t, "answers of p-2", submissions(t, s, "p-2"), []activities.Submission{text})
	if got := submissions(t, s, "p-missing"); len(got) != 0 {
		t.Fatalf("answers of a poll without any = %v", got)
	}
}

func withoutReplace(s activities.Submission) activities.Submission {
	s.Replace = false
	return s
}

func testSubmitWithinBatch(t *testing.T, s activities.Store) {
	first := answer("p-1", "v-3", "a-4", 1)
	retry := first
	retry.Choices = []int{2} // what counts is the attempt id
	second := answer("p-1", "v-3", "a-5", 0)
	change := answer("p-1", "v-3", "a-6", 2)
	change.Replace = true
	retryChange := change
	retryChange.Replace = false
	late := answer("p-1", "v-4", "a-7", 0)
	submit(t, s, []activities.Submission{first, retry, second, change, retryChange, late},
		[]activities.SubmitResult{stored(), duplicate(first), already(first), stored(), duplicate(change), stored()})
	same(t, "answers", submissions(t, s, "p-1"), []activities.Submission{withoutReplace(change), late})
}

func testSubmitIncomplete(t *testing.T, s activities.Store) {
	good := answer("p-1", "v-1", "a-1", 0)
	for _, bad := range []activities.Submission{answer("", "v-2", "a-2"), answer("p-1", "", "a-2"), answer("p-1", "v-2", "")} {
		if _, err := s.SubmitAnswers(context.Background(), []activities.Submission{good, bad}); err == nil {
			t.Fatalf("a batch with %+v was accepted", bad)
		}
	}
	if got := submissions(t, s, "p-1"); len(got) != 0 {
		t.Fatalf("a refused batch stored %v", got)
	}
}

func testResults(t *testing.T, s activities.Store) {
	ctx := context.Background()
	if _, found, err := s.PollResults(ctx, "p-1"); err != nil || found {
		t.Fatalf("PollResults before any = %v, %v", found, err)
	}
	quiz := activities.Results{Poll: "p-1", Counts: []int{12, 30, 0}, Total: 42, Correct: []int{1}, CorrectCount: 30, ComputedAt: at(time.Hour)}
	text := activities.Results{Poll: "p-2", Total: 2, Texts: []string{"b", "a"}, ComputedAt: at(time.Hour)}
	ok(t, s.SaveResults(ctx, quiz))
	ok(t, s.SaveResults(ctx, text))
	get := func(poll string) activities.Results {
		t.Helper()
		r, found, err := s.PollResults(ctx, poll)
		if err != nil || !found {
			t.Fatalf("PollResults(%s) = %v, %v", poll, found, err)
		}
		return r
	}
	same(t, "quiz results", get("p-1"), quiz)
	same(t, "text results", get("p-2"), text)

	quiz.Counts, quiz.Total, quiz.CorrectCount, quiz.ComputedAt = []int{13, 30, 0}, 43, 30, at(2*time.Hour)
	ok(t, s.SaveResults(ctx, quiz))
	same(t, "replaced results", get("p-1"), quiz)
}
