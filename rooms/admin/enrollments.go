package admin

import (
	"fmt"
	"net/http"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// enrollmentInput is one enrollment in a PUT body or a bulk array. The
// course (and, for PUT, the user) come from the path; if the body names
// them too they must agree.
type enrollmentInput struct {
	CourseID string `json:"course_id"`
	UserID   string `json:"user_id"`
	Role     string `json:"role"`
}

// enrollment turns the input into a valid enrollment of courseID, or an
// error naming the field (prefix says which body element it was).
func (in enrollmentInput) enrollment(prefix, courseID string) (catalog.Enrollment, error) {
	if in.CourseID != "" && in.CourseID != courseID {
		return catalog.Enrollment{}, errInvalid(fmt.Sprintf("%scourse_id %q does not match the course in the path", prefix, in.CourseID))
	}
	role, err := catalog.ParseRole(in.Role)
	if err != nil {
		return catalog.Enrollment{}, errInvalid(prefix + err.Error())
	}
	e := catalog.Enrollment{CourseID: courseID, UserID: in.UserID, Role: role}
	if err := e.Validate(); err != nil {
		return catalog.Enrollment{}, errInvalid(prefix + err.Error())
	}
	return e, nil
}

// course fetches the course named in the path, so that enrollment routes
// of a missing course answer 404.
func (h *handler) course(r *http.Request) (catalog.Course, error) {
	return h.cat.GetCourse(r.Context(), r.PathValue("id"))
}

func (h *handler) listEnrollments(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.course(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.cat.ListEnrollments(r.Context(), c.ID, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, paged(items, p, func(e catalog.Enrollment) string { return e.UserID }))
}

func (h *handler) putEnrollment(w http.ResponseWriter, r *http.Request) {
	var in enrollmentInput
	if err := decode(w, r, h.cfg.MaxBodyBytes, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	user := r.PathValue("user")
	if in.UserID != "" && in.UserID != user {
		h.fail(w, r, errInvalid(fmt.Sprintf("user_id %q does not match the user in the path", in.UserID)))
		return
	}
	in.UserID = user
	c, err := h.course(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := in.enrollment("", c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.cat.PutEnrollment(r.Context(), e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.record(r, "enrollment.put", "", out.UserID, fmt.Sprintf("course=%s role=%s", out.CourseID, out.Role))
	writeJSON(w, http.StatusOK, out)
}

// bulkEnroll enrolls an array of users in one request (an LMS setting up
// a term). Every element is checked before any is written; the writes are
// upserts, so a request that failed part-way may simply be sent again.
func (h *handler) bulkEnroll(w http.ResponseWriter, r *http.Request) {
	var in []enrollmentInput
	if err := decode(w, r, h.cfg.MaxBodyBytes, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in == nil {
		h.fail(w, r, errInvalid("request body must be a JSON array of enrollments"))
		return
	}
	c, err := h.course(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	all := make([]catalog.Enrollment, len(in))
	seen := make(map[string]int, len(in))
	for i, item := range in {
		prefix := fmt.Sprintf("[%d] ", i)
		if all[i], err = item.enrollment(prefix, c.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		if j, dup := seen[item.UserID]; dup {
			h.fail(w, r, errInvalid(fmt.Sprintf("%suser_id %q is also element [%d]", prefix, item.UserID, j)))
			return
		}
		seen[item.UserID] = i
	}
	out := make([]catalog.Enrollment, 0, len(all))
	for _, e := range all {
		stored, err := h.cat.PutEnrollment(r.Context(), e)
		if err != nil {
			h.fail(w, r, fmt.Errorf("failed to enroll %q after %d of %d: %w", e.UserID, len(out), len(all), err))
			return
		}
		h.record(r, "enrollment.put", "", stored.UserID, fmt.Sprintf("course=%s role=%s bulk", stored.CourseID, stored.Role))
		out = append(out, stored)
	}
	writeJSON(w, http.StatusOK, list[catalog.Enrollment]{Items: out})
}

func (h *handler) getEnrollment(w http.ResponseWriter, r *http.Request) {
	c, err := h.course(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.cat.GetEnrollment(r.Context(), c.ID, r.PathValue("user"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (h *handler) deleteEnrollment(w http.ResponseWriter, r *http.Request) {
	c, err := h.course(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	user := r.PathValue("user")
	if err := h.cat.DeleteEnrollment(r.Context(), c.ID, user); err != nil {
		h.fail(w, r, err)
		return
	}
	h.record(r, "enrollment.delete", "", user, "course="+c.ID)
	w.WriteHeader(http.StatusNoContent)
}
