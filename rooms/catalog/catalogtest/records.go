package catalogtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func testInstitutionCreateGet(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	got := must(c.PutInstitution(ctx, institution("ins-1")))(t)
	if got.CreatedAt.Before(before) || !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Fatalf("timestamps = %v, %v", got.CreatedAt, got.UpdatedAt)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Fatalf("CreatedAt location = %v, want UTC", got.CreatedAt.Location())
	}
	sameJSON(t, must(c.GetInstitution(ctx, "ins-1"))(t), got)

	_, err := c.PutInstitution(ctx, institution("ins-1"))
	wantErr(t, err, catalog.ErrConflict)
}

func testInstitutionCompareAndSet(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	v1 := must(c.PutInstitution(ctx, institution("ins-1")))(t)

	edit := v1
	edit.Name = "Renamed"
	v2 := must(c.PutInstitution(ctx, edit))(t)
	if v2.Name != "Renamed" || !v2.CreatedAt.Equal(v1.CreatedAt) || !v2.UpdatedAt.After(v1.UpdatedAt) {
		t.Fatalf("update = %+v (was %+v)", v2, v1)
	}
	// Rapid updates still move UpdatedAt forward, so each is detectable.
	v3 := v2
	for i := range 5 {
		v3.RetentionDays = i
		next := must(c.PutInstitution(ctx, v3))(t)
		if !next.UpdatedAt.After(v3.UpdatedAt) {
			t.Fatalf("UpdatedAt did not advance: %v then %v", v3.UpdatedAt, next.UpdatedAt)
		}
		v3 = next
	}

	stale := v1
	stale.Name = "Lost update"
	_, err := c.PutInstitution(ctx, stale)
	wantErr(t, err, catalog.ErrConflict)
	if got := must(c.GetInstitution(ctx, "ins-1"))(t); got.Name != "Renamed" {
		t.Fatalf("stale put changed the record: %+v", got)
	}

	ghost := institution("ins-ghost")
	ghost.UpdatedAt = time.Now()
	_, err = c.PutInstitution(ctx, ghost)
	wantErr(t, err, catalog.ErrNotFound)
}

// testInstitutionBallotLinks checks that the secret-ballot policy
// round-trips through Put, Get and List, both ways.
func testInstitutionBallotLinks(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	in := institution("ins-1")
	in.BallotLinks = true
	v1 := must(c.PutInstitution(ctx, in))(t)
	if !v1.BallotLinks {
		t.Fatalf("Put returned %+v, want BallotLinks", v1)
	}
	must(c.PutInstitution(ctx, institution("ins-2")))(t)
	if got := must(c.GetInstitution(ctx, "ins-1"))(t); !got.BallotLinks {
		t.Fatalf("Get = %+v, want BallotLinks", got)
	}
	list := must(c.ListInstitutions(ctx, catalog.Page{}))(t)
	if len(list) != 2 || !list[0].BallotLinks || list[1].BallotLinks {
		t.Fatalf("List = %+v, want ballot links on ins-1 only", list)
	}
	v1.BallotLinks = false
	must(c.PutInstitution(ctx, v1))(t)
	if got := must(c.GetInstitution(ctx, "ins-1"))(t); got.BallotLinks {
		t.Fatalf("Get after turning the policy off = %+v", got)
	}
}

func testInstitutionInvalid(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	for _, in := range []catalog.Institution{
		{ID: "", Name: "x"},
		{ID: "has space", Name: "x"},
		{ID: "ins-1", Name: " "},
		{ID: "ins-1", Name: "x", RetentionDays: -1},
	} {
		_, err := c.PutInstitution(ctx, in)
		wantErr(t, err, catalog.ErrInvalid)
	}
	if got := must(c.ListInstitutions(ctx, catalog.Page{}))(t); len(got) != 0 {
		t.Fatalf("invalid puts stored %v", got)
	}
}

func testInstitutionListPages(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = fmt.Sprintf("ins-%02d", i)
	}
	for _, i := range rand.Perm(len(ids)) {
		must(c.PutInstitution(ctx, institution(ids[i])))(t)
	}
	var got []string
	after := ""
	for {
		page := must(c.ListInstitutions(ctx, catalog.Page{After: after, Limit: 10}))(t)
		if len(page) > 10 {
			t.Fatalf("page of %d > limit 10", len(page))
		}
		for _, in := range page {
			got = append(got, in.ID)
		}
		if len(page) < 10 {
			break
		}
		after = page[len(page)-1].ID
	}
	sameJSON(t, got, ids)

	if all := must(c.ListInstitutions(ctx, catalog.Page{}))(t); len(all) != 25 {
		t.Fatalf("default page = %d records, want 25", len(all))
	}
	if rest := must(c.ListInstitutions(ctx, catalog.Page{After: "ins-23"}))(t); len(rest) != 1 || rest[0].ID != "ins-24" {
		t.Fatalf("after ins-23 = %v", rest)
	}
}

func testCourseNeedsInstitution(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, err := c.PutCourse(ctx, course("crs-1", "ins-missing"))
	wantErr(t, err, catalog.ErrConflict)
	_, err = c.PutCourse(ctx, catalog.Course{ID: "crs-1", InstitutionID: "ins-1"})
	wantErr(t, err, catalog.ErrInvalid)
}

func testCourseListByInstitution(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	must(c.PutInstitution(ctx, institution("ins-a")))(t)
	must(c.PutInstitution(ctx, institution("ins-b")))(t)
	for _, id := range []string{"crs-3", "crs-1", "crs-2"} {
		must(c.PutCourse(ctx, course(id, "ins-a")))(t)
	}
	moved := must(c.PutCourse(ctx, course("crs-4", "ins-b")))(t)

	ids := func(cs []catalog.Course) (out []string) {
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	sameJSON(t, ids(must(c.ListCourses(ctx, "ins-a", catalog.Page{}))(t)), []string{"crs-1", "crs-2", "crs-3"})
	sameJSON(t, ids(must(c.ListCourses(ctx, "ins-b", catalog.Page{}))(t)), []string{"crs-4"})
	sameJSON(t, ids(must(c.ListCourses(ctx, "", catalog.Page{Limit: 2, After: "crs-1"}))(t)), []string{"crs-2", "crs-3"})
	if got := must(c.ListCourses(ctx, "ins-none", catalog.Page{}))(t); len(got) != 0 {
		t.Fatalf("courses of a missing institution = %v", got)
	}

	// A course that moves institution is listed under its new one only.
	moved.InstitutionID = "ins-a"
	must(c.PutCourse(ctx, moved))(t)
	sameJSON(t, ids(must(c.ListCourses(ctx, "ins-a", catalog.Page{}))(t)), []string{"crs-1", "crs-2", "crs-3", "crs-4"})
	if got := must(c.ListCourses(ctx, "ins-b", catalog.Page{}))(t); len(got) != 0 {
		t.Fatalf("courses of ins-b after the move = %v", got)
	}
}

func testCourseCompareAndSet(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	must(c.PutInstitution(ctx, institution("ins-1")))(t)
	v1 := must(c.PutCourse(ctx, course("crs-1", "ins-1")))(t)
	_, err := c.PutCourse(ctx, course("crs-1", "ins-1"))
	wantErr(t, err, catalog.ErrConflict)
	v1.Name = "Algebra I"
	v2 := must(c.PutCourse(ctx, v1))(t)
	_, err = c.PutCourse(ctx, v1)
	wantErr(t, err, catalog.ErrConflict)
	sameJSON(t, must(c.GetCourse(ctx, "crs-1"))(t), v2)
}

func testGetMissing(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, err := c.GetInstitution(ctx, "nope")
	wantErr(t, err, catalog.ErrNotFound)
	_, err = c.GetCourse(ctx, "nope")
	wantErr(t, err, catalog.ErrNotFound)
	_, err = c.GetSession(ctx, "nope")
	wantErr(t, err, catalog.ErrNotFound)
	_, err = c.GetEnrollment(ctx, "nope", "u")
	wantErr(t, err, catalog.ErrNotFound)
	wantErr(t, c.DeleteEnrollment(ctx, "nope", "u"), catalog.ErrNotFound)
	_, err = c.Admission(ctx, "nope", "u")
	wantErr(t, err, catalog.ErrNotFound)
}
