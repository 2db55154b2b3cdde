package admin

import (
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func TestCourses(t *testing.T) {
	e := newEnv(t)
	want(t, e.do("POST", "/admin/institutions", map[string]any{"id": "ins-a", "name": "A"}), 201, "")
	want(t, e.do("POST", "/admin/institutions", map[string]any{"id": "ins-b", "name": "B"}), 201, "")

	r := e.do("POST", "/admin/courses", map[string]any{"institution_id": "ins-missing", "name": "Algebra"})
	want(t, r, 409, CodeConflict)

	var c catalog.Course
	r = e.do("POST", "/admin/courses", map[string]any{"institution_id": "ins-a", "name": "Algebra I"})
	want(t, r, 201, "")
	r.decode(t, &c)
	if len(c.ID) != 16 || c.ID[:4] != "crs_" || r.header.Get("Location") != "/admin/courses/"+c.ID {
		t.Fatalf("created %+v at %q", c, r.header.Get("Location"))
	}
	want(t, e.do("POST", "/admin/courses", map[string]any{"id": "crs-b1", "institution_id": "ins-b", "name": "Biology"}), 201, "")
	want(t, e.do("POST", "/admin/courses", map[string]any{"id": "crs-b2", "institution_id": "ins-b", "name": "Botany"}), 201, "")
	want(t, e.do("POST", "/admin/courses", map[string]any{"id": "crs-b2", "institution_id": "ins-b", "name": "Again"}), 409, CodeConflict)
	want(t, e.do("POST", "/admin/courses", map[string]any{"institution_id": "ins-b"}), 400, CodeInvalid)

	var l list[catalog.Course]
	e.do("GET", "/admin/courses?institution=ins-b", nil).decode(t, &l)
	if len(l.Items) != 2 || l.Items[0].ID != "crs-b1" || l.Items[1].ID != "crs-b2" {
		t.Fatalf("ins-b courses = %+v", l.Items)
	}
	e.do("GET", "/admin/courses?institution=ins-b&limit=1", nil).decode(t, &l)
	if len(l.Items) != 1 || l.Next != "crs-b1" {
		t.Fatalf("first page = %+v next %q", l.Items, l.Next)
	}
	e.do("GET", "/admin/courses?limit=1000", nil).decode(t, &l)
	if len(l.Items) != 3 {
		t.Fatalf("all courses = %+v", l.Items)
	}

	var got catalog.Course
	r = e.do("PATCH", "/admin/courses/crs-b1", map[string]any{"name": "Biology II"})
	want(t, r, 200, "")
	r.decode(t, &got)
	if got.Name != "Biology II" || got.InstitutionID != "ins-b" {
		t.Fatalf("patched %+v", got)
	}
	e.do("GET", "/admin/courses/crs-b1", nil).decode(t, &got)
	if got.Name != "Biology II" {
		t.Fatalf("get after patch %+v", got)
	}
	want(t, e.do("PATCH", "/admin/courses/crs-b1", map[string]any{"institution_id": "ins-a"}), 400, CodeInvalid)
	want(t, e.do("PATCH", "/admin/courses/nope", map[string]any{"name": "x"}), 404, CodeNotFound)
	want(t, e.do("GET", "/admin/courses/nope", nil), 404, CodeNotFound)

	a := e.audit("")
	if a[0].Action != "course.update" || a[0].TargetID != "crs-b1" || a[1].Action != "course.create" || a[1].Detail != "institution=ins-b" {
		t.Fatalf("audit = %+v", a[:2])
	}
}
