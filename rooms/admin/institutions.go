package admin

import (
	"fmt"
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

type institutionCreate struct {
	ID            string `json:"id"` // optional: generated ("ins_…") when empty
	Name          string `json:"name"`
	RetentionDays int    `json:"retention_days"`
	BallotLinks   bool   `json:"ballot_links"`
}

type institutionPatch struct {
	Name          *string `json:"name"`
	RetentionDays *int    `json:"retention_days"`
	BallotLinks   *bool   `json:"ballot_links"`
}

func (h *handler) createInstitution(w http.ResponseWriter, r *http.Request) {
	var in institutionCreate
	if err := decode(w, r, h.cfg.MaxBodyBytes, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.ID == "" {
		in.ID = catalog.NewID(catalog.PrefixInstitution)
	}
	out, err := h.cat.PutInstitution(r.Context(), catalog.Institution{ID: in.ID, Name: in.Name,
		RetentionDays: in.RetentionDays, BallotLinks: in.BallotLinks})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.record(r, "institution.create", "", out.ID, "")
	w.Header().Set("Location", "/admin/institutions/"+out.ID)
	writeJSON(w, http.StatusCreated, out)
}

func (h *handler) listInstitutions(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.cat.ListInstitutions(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, paged(items, p, func(in catalog.Institution) string { return in.ID }))
}

func (h *handler) getInstitution(w http.ResponseWriter, r *http.Request) {
	in, err := h.cat.GetInstitution(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (h *handler) patchInstitution(w http.ResponseWriter, r *http.Request) {
	var p institutionPatch
	if err := decode(w, r, h.cfg.MaxBodyBytes, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	_, out, changed, err := update(
		func() (catalog.Institution, error) { return h.cat.GetInstitution(ctx, id) },
		func(in catalog.Institution) (catalog.Institution, []string, error) {
			var changed []string
			if p.Name != nil && *p.Name != in.Name {
				in.Name = *p.Name
				changed = append(changed, "name")
			}
			if p.RetentionDays != nil && *p.RetentionDays != in.RetentionDays {
				in.RetentionDays = *p.RetentionDays
				changed = append(changed, fmt.Sprintf("retention_days=%d", in.RetentionDays))
			}
			if p.BallotLinks != nil && *p.BallotLinks != in.BallotLinks {
				in.BallotLinks = *p.BallotLinks
				changed = append(changed, fmt.Sprintf("ballot_links=%t", in.BallotLinks))
			}
			return in, changed, nil
		},
		func(in catalog.Institution) (catalog.Institution, error) { return h.cat.PutInstitution(ctx, in) },
	)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(changed) > 0 {
		h.record(r, "institution.update", "", id, joinChanges(changed))
	}
	writeJSON(w, http.StatusOK, out)
}
