package admin

import (
	"net/http"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// WithActivities gives the API the activity store, enabling the read
// route GET /admin/sessions/{id}/polls: a session's polls with their
// stored answer counts and results.
func WithActivities(st activities.Store) Option {
	return func(h *handler) { h.act = st }
}

// pollView is what the API shows of a stored poll. Its fields are listed
// here rather than taken from activities.Poll, so that a field added to
// the record later (or its ballot key) never leaks through the API: no
// answer and no voter is ever in it, only counts.
type pollView struct {
	ID         string    `json:"id"`
	CreatedBy  string    `json:"created_by"`
	Kind       string    `json:"kind"`
	Question   string    `json:"question"`
	Options    []string  `json:"options"`
	Correct    []int     `json:"correct,omitempty"`
	Anonymous  bool      `json:"anonymous"`
	Changeable bool      `json:"changeable"`
	OpenedAt   time.Time `json:"opened_at"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	Published  bool      `json:"published"`
	// Answers is how many answers the store holds for the poll, one per
	// participant.
	Answers int `json:"answers"`
	// Results are the stored results of a closed poll; null while the
	// poll is open or before its aggregation has run.
	Results *resultsView `json:"results"`
}

// resultsView is the stored aggregate of a closed poll.
type resultsView struct {
	Counts       []int     `json:"counts"`
	Total        int       `json:"total"`
	Texts        []string  `json:"texts,omitempty"`
	Correct      []int     `json:"correct,omitempty"`
	CorrectCount int       `json:"correct_count,omitempty"`
	ComputedAt   time.Time `json:"computed_at"`
}

// sessionPolls answers a session's polls, oldest first, each with its
// stored answer count and results. Unknown sessions are 404.
func (h *handler) sessionPolls(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	if _, err := h.cat.GetSession(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	ps, err := h.act.Polls(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[pollView]{Items: make([]pollView, 0, len(ps))}
	for _, p := range ps {
		v, err := h.pollView(r, p)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Items = append(out.Items, v)
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handler) pollView(r *http.Request, p activities.Poll) (pollView, error) {
	v := pollView{
		ID: p.ID, CreatedBy: p.CreatedBy, Kind: p.Kind, Question: p.Question, Options: p.Options,
		Correct: p.Correct, Anonymous: p.Anonymous, Changeable: p.Changeable,
		OpenedAt: p.OpenedAt.UTC(), ClosedAt: p.ClosedAt.UTC(), Published: p.Published,
	}
	if v.Options == nil {
		v.Options = []string{}
	}
	subs, err := h.act.Submissions(r.Context(), p.ID)
	if err != nil {
		return v, err
	}
	v.Answers = len(subs)
	res, ok, err := h.act.PollResults(r.Context(), p.ID)
	if err != nil || !ok {
		return v, err
	}
	v.Results = &resultsView{
		Counts: res.Counts, Total: res.Total, Texts: res.Texts, Correct: res.Correct,
		CorrectCount: res.CorrectCount, ComputedAt: res.ComputedAt.UTC(),
	}
	if v.Results.Counts == nil {
		v.Results.Counts = []int{}
	}
	return v, nil
}
