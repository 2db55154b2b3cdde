package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func TestEnrollmentPutGetDelete(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	events, stop := e.cat.Subscribe()
	defer stop()

	var en catalog.Enrollment
	r := e.do("PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"role": "student"})
	want(t, r, 200, "")
	r.decode(t, &en)
	if en.CourseID != "crs-1" || en.UserID != "u-ada" || en.Role != catalog.RoleStudent || en.CreatedAt.IsZero() {
		t.Fatalf("put %+v", en)
	}
	expectEvent(t, events, catalog.Event{Kind: catalog.EnrollmentChanged, CourseID: "crs-1", UserID: "u-ada"})

	// PUT again changes the role; the body may repeat the path's ids.
	want(t, e.do("PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"course_id": "crs-1", "user_id": "u-ada", "role": "Moderator"}), 200, "")
	r = e.do("GET", "/admin/courses/crs-1/enrollments/u-ada", nil)
	want(t, r, 200, "")
	r.decode(t, &en)
	if en.Role != catalog.RoleModerator {
		t.Fatalf("role %q after change", en.Role)
	}
	if a, err := e.cat.Admission(context.Background(), "ses-1", "u-ada"); err != nil || a.Role != catalog.RoleModerator {
		t.Fatalf("admission = %+v, %v", a, err)
	}

	r = e.do("DELETE", "/admin/courses/crs-1/enrollments/u-ada", nil)
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	expectEvent(t, events, catalog.Event{Kind: catalog.EnrollmentRemoved, CourseID: "crs-1", UserID: "u-ada"})
	if _, err := e.cat.Admission(context.Background(), "ses-1", "u-ada"); !errors.Is(err, catalog.ErrNotEnrolled) {
		t.Fatalf("admission after delete: %v", err)
	}

	a := e.audit("")
	if a[0].Action != "enrollment.delete" || a[0].TargetID != "u-ada" || a[0].Detail != "course=crs-1" ||
		a[1].Action != "enrollment.put" || a[1].Detail != "course=crs-1 role=moderator" {
		t.Fatalf("audit = %+v", a[:2])
	}
}

func TestEnrollmentErrors(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	want(t, e.do("PUT", "/admin/courses/crs-1/enrollments/u-bob", map[string]any{"role": "student"}), 200, "")
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		code         string
		msg          string
	}{
		{"put unknown role", "PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"role": "admin"}, 400, CodeInvalid, `"admin" is not one of`},
		{"put no role", "PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{}, 400, CodeInvalid, "role"},
		{"put bad user id", "PUT", "/admin/courses/crs-1/enrollments/u%20ada", map[string]any{"role": "student"}, 400, CodeInvalid, "enrollment.user_id"},
		{"put mismatched user", "PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"user_id": "u-eve", "role": "student"}, 400, CodeInvalid, "does not match"},
		{"put mismatched course", "PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"course_id": "crs-9", "role": "student"}, 400, CodeInvalid, "does not match"},
		{"put missing course", "PUT", "/admin/courses/crs-9/enrollments/u-ada", map[string]any{"role": "student"}, 404, CodeNotFound, `course "crs-9"`},
		{"get missing course", "GET", "/admin/courses/crs-9/enrollments/u-bob", nil, 404, CodeNotFound, `course "crs-9"`},
		{"get not enrolled", "GET", "/admin/courses/crs-1/enrollments/u-ada", nil, 404, CodeNotFound, `"u-ada"`},
		{"delete not enrolled", "DELETE", "/admin/courses/crs-1/enrollments/u-ada", nil, 404, CodeNotFound, `"u-ada"`},
		{"delete missing course", "DELETE", "/admin/courses/crs-9/enrollments/u-bob", nil, 404, CodeNotFound, `course "crs-9"`},
		{"list missing course", "GET", "/admin/courses/crs-9/enrollments", nil, 404, CodeNotFound, `course "crs-9"`},
		{"bulk missing course", "POST", "/admin/courses/crs-9/enrollments", []map[string]any{{"user_id": "u", "role": "student"}}, 404, CodeNotFound, `course "crs-9"`},
		{"bulk object", "POST", "/admin/courses/crs-1/enrollments", map[string]any{"user_id": "u", "role": "student"}, 400, CodeInvalid, "must be a JSON array"},
		{"bulk null", "POST", "/admin/courses/crs-1/enrollments", `null`, 400, CodeInvalid, "JSON array"},
		{"bulk bad role", "POST", "/admin/courses/crs-1/enrollments", []map[string]any{
			{"user_id": "u-1", "role": "student"}, {"user_id": "u-2", "role": "principal"}}, 400, CodeInvalid, "[1] "},
		{"bulk bad user", "POST", "/admin/courses/crs-1/enrollments", []map[string]any{{"user_id": "", "role": "student"}}, 400, CodeInvalid, "[0] invalid enrollment.user_id"},
		{"bulk duplicate", "POST", "/admin/courses/crs-1/enrollments", []map[string]any{
			{"user_id": "u-1", "role": "student"}, {"user_id": "u-1", "role": "teacher"}}, 400, CodeInvalid, "also element [0]"},
		{"bulk unknown field", "POST", "/admin/courses/crs-1/enrollments", `[{"user":"u-1","role":"student"}]`, 400, CodeInvalid, `unknown field "user"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.body)
			want(t, r, tt.status, tt.code)
			if !strings.Contains(r.errMessage(), tt.msg) {
				t.Fatalf("message %q does not mention %q", r.errMessage(), tt.msg)
			}
		})
	}
	// Nothing from a refused bulk request was written.
	var l list[catalog.Enrollment]
	e.do("GET", "/admin/courses/crs-1/enrollments", nil).decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].UserID != "u-bob" {
		t.Fatalf("enrollments after refused requests: %+v", l.Items)
	}
}

// TestBulkTermSetUp is what an LMS does at the start of a term: one teacher,
// a teaching assistant and a class of students in one request.
func TestBulkTermSetUp(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	body := []map[string]any{{"user_id": "t-krabappel", "role": "teacher"}, {"user_id": "ta-hoover", "role": "moderator"}}
	for i := range 250 {
		body = append(body, map[string]any{"user_id": fmt.Sprintf("s-%03d", i), "role": "student"})
	}
	var got list[catalog.Enrollment]
	r := e.do("POST", "/admin/courses/crs-1/enrollments", body)
	want(t, r, 200, "")
	r.decode(t, &got)
	if len(got.Items) != 252 || got.Items[0].Role != catalog.RoleTeacher || got.Items[251].UserID != "s-249" {
		t.Fatalf("bulk answered %d items: first %+v", len(got.Items), got.Items[0])
	}

	// Listed by user id, 100 per page.
	var users []string
	for after := ""; ; {
		var l list[catalog.Enrollment]
		e.do("GET", "/admin/courses/crs-1/enrollments?after="+after, nil).decode(t, &l)
		if len(l.Items) > DefaultLimit {
			t.Fatalf("page of %d", len(l.Items))
		}
		for _, en := range l.Items {
			users = append(users, en.UserID)
		}
		if l.Next == "" {
			break
		}
		after = l.Next
	}
	if len(users) != 252 || users[0] != "s-000" || users[250] != "t-krabappel" || users[251] != "ta-hoover" {
		t.Fatalf("listed %d users: %v ... %v", len(users), users[:2], users[len(users)-2:])
	}

	ctx := context.Background()
	for user, role := range map[string]catalog.Role{"t-krabappel": catalog.RoleTeacher, "ta-hoover": catalog.RoleModerator, "s-123": catalog.RoleStudent} {
		if a, err := e.cat.Admission(ctx, "ses-1", user); err != nil || a.Role != role {
			t.Fatalf("admission of %s = %q, %v", user, a.Role, err)
		}
	}

	// Sending the same term again is harmless (upserts), and may change roles.
	body[2]["role"] = "observer"
	want(t, e.do("POST", "/admin/courses/crs-1/enrollments", body), 200, "")
	if a, _ := e.cat.Admission(ctx, "ses-1", "s-000"); a.Role != catalog.RoleObserver {
		t.Fatalf("s-000 role %q after resend", a.Role)
	}

	puts := 0
	for _, a := range e.audit("") {
		if a.Action == "enrollment.put" {
			puts++
		}
	}
	if puts != 504 {
		t.Fatalf("%d enrollment.put audit entries, want 504", puts)
	}
}
