package admin

import (
	"context"
	"github.com/homeroom-edu/homeroom/store/export"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store"
)

// activityEnv is the admin API over a memory catalog and a memory
// activity store, with session ses-1 set up.
func activityEnv(t *testing.T, st activities.Store) *env {
	t.Helper()
	e := newEnv(t)
	if st != nil {
		mux := http.NewServeMux()
		mux.Handle("/admin/", New(Config{APIKey: testKey}, e.cat, e.cat, nil, WithActivities(st)))
		e.srv = httptest.NewServer(mux)
		t.Cleanup(e.srv.Close)
	}
	e.setUp()
	return e
}

func TestSessionPolls(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory()
	e := activityEnv(t, st)
	opened := t0.Add(5 * time.Minute)

	// A closed, published quiz with three answers and its results, and an
	// open anonymous poll with one answer; a poll of another session.
	quiz := activities.Poll{ID: "p-quiz", Session: "ses-1", CreatedBy: "u-teacher", Kind: activities.KindSingle,
		Question: "2+2?", Options: []string{"3", "4", "5", "22"}, Correct: []int{1},
		OpenedAt: opened, ClosedAt: opened.Add(time.Minute), Published: true}
	open := activities.Poll{ID: "p-open", Session: "ses-1", CreatedBy: "u-teacher", Kind: activities.KindYesNo,
		Question: "Ready?", Options: []string{"Yes", "No"}, Anonymous: true, OpenedAt: opened.Add(2 * time.Minute),
		BallotKey: []byte("ballot-key-never-shown")}
	other := activities.Poll{ID: "p-other", Session: "ses-2", Kind: activities.KindYesNo,
		Question: "?", Options: []string{"Yes", "No"}, OpenedAt: opened}
	for _, p := range []activities.Poll{open, quiz, other} {
		if err := st.SavePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	var subs []activities.Submission
	for i, voter := range []string{"u-ada", "u-bob", "u-cy"} {
		subs = append(subs, activities.Submission{Poll: "p-quiz", Session: "ses-1", Voter: voter, User: voter,
			AttemptID: "a-" + voter, Choices: []int{i % 2}, SubmittedAt: opened.Add(time.Second)})
	}
	subs = append(subs, activities.Submission{Poll: "p-open", Session: "ses-1", Voter: "h-5f1e",
		AttemptID: "a-1", Choices: []int{0}, SubmittedAt: opened.Add(3 * time.Minute)})
	if _, err := st.SubmitAnswers(ctx, subs); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveResults(ctx, activities.Results{Poll: "p-quiz", Counts: []int{2, 1, 0, 0}, Total: 3,
		Correct: []int{1}, CorrectCount: 1, ComputedAt: opened.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}

	r := e.do("GET", "/admin/sessions/ses-1/polls", nil)
	want(t, r, 200, "")
	var got list[export.Poll]
	r.decode(t, &got)
	if len(got.Items) != 2 || got.Items[0].ID != "p-quiz" || got.Items[1].ID != "p-open" {
		t.Fatalf("polls %+v: want p-quiz then p-open", got.Items)
	}
	q, o := got.Items[0], got.Items[1]
	if q.Answers != 3 || q.Results == nil || q.Results.Total != 3 || q.Results.CorrectCount != 1 ||
		len(q.Results.Counts) != 4 || q.Results.Counts[0] != 2 || !q.Published || q.ClosedAt.IsZero() {
		t.Errorf("quiz %+v, results %+v", q, q.Results)
	}
	if len(q.Correct) != 1 || q.Correct[0] != 1 || q.Question != "2+2?" || len(q.Options) != 4 {
		t.Errorf("quiz %+v: want its question, options and correct option", q)
	}
	if o.Answers != 1 || o.Results != nil || !o.Anonymous || !o.ClosedAt.IsZero() {
		t.Errorf("open poll %+v: want 1 answer, no results", o)
	}
	body := string(r.body)
	for _, secret := range []string{"ballot-key", "h-5f1e", "u-ada", "a-u-ada", "voter", "attempt"} {
		if strings.Contains(body, secret) {
			t.Errorf("answer contains %q: %s", secret, body)
		}
	}
	if !strings.Contains(body, `"results": null`) {
		t.Errorf("an open poll's results should be null: %s", body)
	}

	// A session without polls has an empty list; an unknown one is 404.
	want(t, e.do("POST", "/admin/sessions", map[string]any{
		"id": "ses-3", "course_id": "crs-1", "title": "Week 3", "starts_at": t0, "ends_at": t0.Add(time.Hour),
	}), 201, "")
	r = e.do("GET", "/admin/sessions/ses-3/polls", nil)
	want(t, r, 200, "")
	if !strings.Contains(string(r.body), `"items": []`) {
		t.Errorf("no polls: %s, want an empty items array", r.body)
	}
	want(t, e.do("GET", "/admin/sessions/nope/polls", nil), 404, CodeNotFound)
	want(t, e.send("GET", "/admin/sessions/ses-1/polls", nil, ""), 401, CodeUnauthorized)
	want(t, e.do("POST", "/admin/sessions/ses-1/polls", nil), 405, CodeMethodNotAllowed)
}

// TestSessionPollsWithoutStore: without WithActivities the route does not
// exist.
func TestSessionPollsWithoutStore(t *testing.T) {
	e := activityEnv(t, nil)
	want(t, e.do("GET", "/admin/sessions/ses-1/polls", nil), 404, CodeNotFound)
}

// failingPolls is an activity store whose Polls fails.
type failingPolls struct{ activities.Store }

func (failingPolls) Polls(context.Context, string) ([]activities.Poll, error) {
	return nil, context.DeadlineExceeded
}

func TestSessionPollsStoreFails(t *testing.T) {
	e := activityEnv(t, failingPolls{store.NewMemory()})
	want(t, e.do("GET", "/admin/sessions/ses-1/polls", nil), 500, CodeInternal)
}
