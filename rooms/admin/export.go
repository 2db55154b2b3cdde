package admin

import (
	"bytes"
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/store/export"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// Option adds an optional part to the admin API.
type Option func(*handler)

// WithDocs gives the API the session documents, enabling the read routes
// GET /admin/sessions/{id}/export (the same JSON as homeroom export) and
// GET /admin/sessions/{id}/board.svg.
func WithDocs(docs rooms.DocStore) Option {
	return func(h *handler) {
		h.docs = docs
		if p, ok := docs.(privacy.UserPurger); ok && h.purger == nil {
			h.purger = p // DELETE /admin/users/{id}: see WithPurger
		}
	}
}

func (h *handler) exportSession(w http.ResponseWriter, r *http.Request) {
	e, err := export.Collect(r.Context(), h.cat, h.docs, h.act, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (h *handler) boardSVG(w http.ResponseWriter, r *http.Request) {
	e, err := export.Collect(r.Context(), h.cat, h.docs, h.act, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := e.WriteSVG(&b); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(b.Bytes())
}
