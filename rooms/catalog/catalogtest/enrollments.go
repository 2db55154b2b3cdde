package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func testEnrollmentLifecycle(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	e1 := must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleStudent}))(t)
	if e1.CreatedAt.IsZero() {
		t.Fatal("CreatedAt not set")
	}
	sameJSON(t, must(c.GetEnrollment(ctx, "crs-1", "u-ada"))(t), e1)

	// Changing the role is an upsert that keeps CreatedAt.
	e2 := must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleModerator}))(t)
	if e2.Role != catalog.RoleModerator || !e2.CreatedAt.Equal(e1.CreatedAt) {
		t.Fatalf("role change = %+v (was %+v)", e2, e1)
	}

	_, err := c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: "admin"})
	wantErr(t, err, catalog.ErrInvalid)
	_, err = c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "bad user", Role: catalog.RoleStudent})
	wantErr(t, err, catalog.ErrInvalid)

	if err := c.DeleteEnrollment(ctx, "crs-1", "u-ada"); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetEnrollment(ctx, "crs-1", "u-ada")
	wantErr(t, err, catalog.ErrNotFound)
	wantErr(t, c.DeleteEnrollment(ctx, "crs-1", "u-ada"), catalog.ErrNotFound)
}

func testEnrollmentNeedsCourse(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, err := c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-missing", UserID: "u", Role: catalog.RoleStudent})
	wantErr(t, err, catalog.ErrConflict)
	if got := must(c.ListEnrollments(ctx, "crs-missing", catalog.Page{}))(t); len(got) != 0 {
		t.Fatalf("enrollments of a missing course = %v", got)
	}
}

func testEnrollmentListPages(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	must(c.PutCourse(ctx, course("crs-2", "ins-1")))(t)
	for i := 29; i >= 0; i-- {
		must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: fmt.Sprintf("u-%02d", i), Role: catalog.RoleStudent}))(t)
	}
	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-2", UserID: "u-other", Role: catalog.RoleTeacher}))(t)

	var got []string
	after := ""
	for range 10 {
		page := must(c.ListEnrollments(ctx, "crs-1", catalog.Page{After: after, Limit: 7}))(t)
		for _, e := range page {
			if e.CourseID != "crs-1" {
				t.Fatalf("listed %+v under crs-1", e)
			}
			got = append(got, e.UserID)
		}
		if len(page) < 7 {
			break
		}
		after = page[len(page)-1].UserID
	}
	var want []string
	for i := range 30 {
		want = append(want, fmt.Sprintf("u-%02d", i))
	}
	sameJSON(t, got, want)
}

func testAdmission(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, co, s := seed(t, c)

	a, err := c.Admission(ctx, "ses-1", "u-ada")
	wantErr(t, err, catalog.ErrNotEnrolled)
	if errors.Is(err, catalog.ErrNotFound) {
		t.Fatal("ErrNotEnrolled must not match ErrNotFound")
	}
	sameJSON(t, a, catalog.Admission{Session: s, Course: co})

	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleStudent}))(t)
	sameJSON(t, must(c.Admission(ctx, "ses-1", "u-ada"))(t), catalog.Admission{Session: s, Course: co, Role: catalog.RoleStudent})

	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleObserver}))(t)
	if a := must(c.Admission(ctx, "ses-1", "u-ada"))(t); a.Role != catalog.RoleObserver {
		t.Fatalf("role after change = %q", a.Role)
	}

	// The admission reflects the session as last written.
	s.State = catalog.StateLive
	s = must(c.PutSession(ctx, s))(t)
	sameJSON(t, must(c.Admission(ctx, "ses-1", "u-ada"))(t).Session, s)

	// Enrollment in another course does not count.
	must(c.PutCourse(ctx, course("crs-2", "ins-1")))(t)
	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-2", UserID: "u-bob", Role: catalog.RoleTeacher}))(t)
	_, err = c.Admission(ctx, "ses-1", "u-bob")
	wantErr(t, err, catalog.ErrNotEnrolled)

	if err := c.DeleteEnrollment(ctx, "crs-1", "u-ada"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Admission(ctx, "ses-1", "u-ada")
	wantErr(t, err, catalog.ErrNotEnrolled)
}
