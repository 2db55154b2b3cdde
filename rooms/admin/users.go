package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/homeroom-edu/homeroom/store/privacy"
)

// ActionUserPurge is the audit action of a user purge; its target is the
// pseudonym, never the user id.
const ActionUserPurge = "user.purge"

// maxUserIDLength bounds the user id of a purge. User ids come from
// enrollments and from join tokens (guests), so the catalog's id rules
// are not imposed here.
const maxUserIDLength = 1024

// WithPurger gives the API a store that can purge users, enabling
// DELETE /admin/users/{id}. WithDocs enables it too when the document
// store is one (every durable store is).
func WithPurger(p privacy.UserPurger) Option {
	return func(h *handler) { h.purger = p }
}

// purgeUser deletes or anonymises a user's personal data everywhere the
// store keeps it (docs/privacy.md) and answers the report; with
// ?dry_run=true it only reports what it would do. A purge is recorded in
// the audit log with the pseudonym as target. Failures are logged without
// the user id.
func (h *handler) purgeUser(w http.ResponseWriter, r *http.Request) {
	user := r.PathValue("id")
	if user == "" || len(user) > maxUserIDLength {
		h.fail(w, r, errInvalid("the user id must be 1–1024 bytes"))
		return
	}
	dry := false
	if v := r.URL.Query().Get("dry_run"); v != "" {
		var err error
		if dry, err = strconv.ParseBool(v); err != nil {
			h.fail(w, r, errInvalid("dry_run must be true or false"))
			return
		}
	}
	// A purge runs to its end even if the client goes away: it is
	// idempotent, but half a purge is worse than a whole one.
	ctx := context.WithoutCancel(r.Context())
	if dry {
		rep, err := h.purger.PlanPurge(ctx, user)
		if err != nil {
			h.purgeFailed(w, r, "", err)
			return
		}
		writeJSON(w, http.StatusOK, rep)
		return
	}
	rep, err := h.purger.PurgeUser(ctx, user, privacy.NewPseudonym())
	if err == nil || rep.Total() > 0 {
		detail := rep.String()
		if err != nil {
			detail = "incomplete: " + detail
		}
		h.record(r, ActionUserPurge, "", rep.Pseudonym, detail)
	}
	if err != nil {
		h.purgeFailed(w, r, rep.Pseudonym, err)
		return
	}
	h.log.InfoContext(ctx, "user purged", "pseudonym", rep.Pseudonym, "report", rep.String())
	writeJSON(w, http.StatusOK, rep)
}

// purgeFailed answers a failed purge: 500, logged with the pseudonym
// rather than the path, which holds the user id.
func (h *handler) purgeFailed(w http.ResponseWriter, r *http.Request, pseudonym string, err error) {
	h.log.ErrorContext(r.Context(), "user purge failed; it may be retried", "pseudonym", pseudonym, "err", err)
	writeError(w, http.StatusInternalServerError, CodeInternal, "the purge failed part-way; it may be retried and finishes what is left")
}
