package admin

import (
	"net/http"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/export"
)

// WithActivities gives the API the activity store, enabling the read
// route GET /admin/sessions/{id}/polls: a session's polls with their
// stored answer counts and results.
func WithActivities(st activities.Store) Option {
	return func(h *handler) { h.act = st }
}

// sessionPolls answers a session's polls, oldest first, each with its
// stored answer count and results (export.Poll: never an answer or a
// voter). Unknown sessions are 404.
func (h *handler) sessionPolls(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	if _, err := h.cat.GetSession(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	ps, err := export.Polls(ctx, h.act, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[export.Poll]{Items: ps})
}
