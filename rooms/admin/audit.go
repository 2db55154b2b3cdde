package admin

import (
	"context"
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// listAudit lists audit entries, newest first: all, or with ?session= one
// session's; ?limit= as for other lists (no cursor).
func (h *handler) listAudit(w http.ResponseWriter, r *http.Request) {
	n, err := limitParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.audit.List(r.Context(), catalog.AuditQuery{SessionID: r.URL.Query().Get("session"), Limit: n})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if items == nil {
		items = []catalog.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, list[catalog.AuditEntry]{Items: items})
}

// record writes an audit entry for a write that has happened. The write
// stands even if recording fails, so the failure is logged, not returned;
// the entry is recorded even if the client has gone away.
func (h *handler) record(r *http.Request, action, sessionID, targetID, detail string) {
	ctx := context.WithoutCancel(r.Context())
	err := h.audit.Record(ctx, catalog.AuditEntry{
		ActorID: Actor, ActorRole: Actor, Action: action,
		SessionID: sessionID, TargetID: targetID, Detail: detail,
	})
	if err != nil {
		h.log.ErrorContext(ctx, "failed to record audit entry", "action", action, "target", targetID, "err", err)
	}
}
