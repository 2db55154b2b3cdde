package gameday

import (
	"context"
	"net/http"
	"net/url"
)

// countStored counts the answers the store holds for the run's poll,
// through the admin API (GET /admin/sessions/{id}/polls), not from the
// acknowledgements the students received. Without an admin key the count
// stays unknown.
func (r *runner) countStored(ctx context.Context) {
	p := r.poll
	if r.cfg.AdminKey == "" {
		r.problem("answers_stored is unknown: it is counted through the admin API, which needs --admin-key")
		return
	}
	var polls struct {
		Items []struct {
			ID      string `json:"id"`
			Answers int64  `json:"answers"`
		} `json:"items"`
	}
	path := "/admin/sessions/" + url.PathEscape(r.cfg.Session) + "/polls"
	if _, err := r.adminClient().do(ctx, http.MethodGet, path, nil, &polls, http.StatusOK); err != nil {
		r.problem("failed to count the stored answers: %v", err)
		return
	}
	id := p.pollID()
	for _, it := range polls.Items {
		if it.ID == id {
			p.stored, p.storedKnown = it.Answers, true
			return
		}
	}
	r.problem("the admin API does not list poll %s of session %s", id, r.cfg.Session)
}
