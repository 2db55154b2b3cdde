package admin

import (
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

type courseCreate struct {
	ID            string `json:"id"` // optional: generated ("crs_…") when empty
	InstitutionID string `json:"institution_id"`
	Name          string `json:"name"`
}

type coursePatch struct {
	Name *string `json:"name"`
}

func (h *handler) createCourse(w http.ResponseWriter, r *http.Request) {
	var in courseCreate
	if err := decode(w, r, h.cfg.MaxBodyBytes, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.ID == "" {
		in.ID = catalog.NewID(catalog.PrefixCourse)
	}
	out, err := h.cat.PutCourse(r.Context(), catalog.Course{ID: in.ID, InstitutionID: in.InstitutionID, Name: in.Name})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.record(r, "course.create", "", out.ID, "institution="+out.InstitutionID)
	w.Header().Set("Location", "/admin/courses/"+out.ID)
	writeJSON(w, http.StatusCreated, out)
}

// listCourses lists every course, or with ?institution= one institution's.
func (h *handler) listCourses(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.cat.ListCourses(r.Context(), r.URL.Query().Get("institution"), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, paged(items, p, func(c catalog.Course) string { return c.ID }))
}

func (h *handler) getCourse(w http.ResponseWriter, r *http.Request) {
	c, err := h.cat.GetCourse(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (h *handler) patchCourse(w http.ResponseWriter, r *http.Request) {
	var p coursePatch
	if err := decode(w, r, h.cfg.MaxBodyBytes, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	_, out, changed, err := update(
		func() (catalog.Course, error) { return h.cat.GetCourse(ctx, id) },
		func(c catalog.Course) (catalog.Course, []string, error) {
			if p.Name == nil || *p.Name == c.Name {
				return c, nil, nil
			}
			c.Name = *p.Name
			return c, []string{"name"}, nil
		},
		func(c catalog.Course) (catalog.Course, error) { return h.cat.PutCourse(ctx, c) },
	)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(changed) > 0 {
		h.record(r, "course.update", "", id, joinChanges(changed))
	}
	writeJSON(w, http.StatusOK, out)
}
