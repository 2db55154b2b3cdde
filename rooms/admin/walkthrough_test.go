package admin

import (
	"context"
	"errors"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// TestTermSetUpAsDocumented runs the walkthrough of docs/api.md with its
// request bodies, twice for the rerunnable steps.
func TestTermSetUpAsDocumented(t *testing.T) {
	e := newEnv(t)
	events, stop := e.cat.Subscribe()
	defer stop()
	for range 2 {
		for _, step := range []struct{ path, body string }{
			{"/admin/institutions", `{"id": "springfield", "name": "Springfield School District", "retention_days": 365}`},
			{"/admin/courses", `{"id": "springfield-alg1-2031f", "institution_id": "springfield", "name": "Algebra I (Fall 2031)"}`},
			{"/admin/sessions", `{
  "id": "alg1-2031-09-01",
  "course_id": "springfield-alg1-2031f",
  "title": "Week 1: linear equations",
  "starts_at": "2031-09-01T08:30:00-05:00",
  "ends_at": "2031-09-01T09:20:00-05:00",
  "video": {"provider": "zoom", "join_url": "https://zoom.us/j/81234567890?pwd=abc"}
}`},
		} {
			if r := e.do("POST", step.path, step.body); r.status != 201 && r.status != 409 {
				t.Fatalf("POST %s: %d %s", step.path, r.status, r.body)
			}
		}
		// roster.json as the jq line makes it (the CSV's \r kept on the role).
		roster := `[{"user_id":"t-krabappel","role":"teacher\r"},{"user_id":"ta-hoover","role":"moderator"},
			{"user_id":"u-10442","role":"student"},{"user_id":"u-10443","role":"Student"}]`
		want(t, e.do("POST", "/admin/courses/springfield-alg1-2031f/enrollments", roster), 200, "")
	}

	ctx := context.Background()
	a, err := e.cat.Admission(ctx, "alg1-2031-09-01", "t-krabappel")
	if err != nil || a.Role != catalog.RoleTeacher || a.Course.Name != "Algebra I (Fall 2031)" {
		t.Fatalf("teacher admission = %+v, %v", a, err)
	}
	if _, err := e.cat.Admission(ctx, "alg1-2031-09-01", "u-stranger"); !errors.Is(err, catalog.ErrNotEnrolled) {
		t.Fatalf("stranger admission: %v", err)
	}

	want(t, e.do("PATCH", "/admin/sessions/alg1-2031-09-01", `{"state": "live"}`), 200, "")
	want(t, e.do("PATCH", "/admin/sessions/alg1-2031-09-01", `{"state": "ended"}`), 200, "")
	expectEvent(t, events, catalog.Event{Kind: catalog.SessionEnded, CourseID: "springfield-alg1-2031f", SessionID: "alg1-2031-09-01"})

	var actions []string
	for _, a := range e.audit("alg1-2031-09-01") {
		actions = append(actions, a.Action)
	}
	if len(actions) != 3 || actions[0] != "session.end" || actions[1] != "session.start" || actions[2] != "session.create" {
		t.Fatalf("session audit = %v", actions)
	}
}
