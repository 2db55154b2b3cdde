package catalogtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// EventTimeout is how long the suite waits for an expected event.
var EventTimeout = 5 * time.Second

// t0 is a fixed schedule start for sessions.
var t0 = time.Date(2031, 9, 1, 8, 30, 0, 0, time.UTC)

// must(f())(t) returns f's value, failing t if f failed.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

// sameJSON compares records by their JSON form, so times compare by
// instant and not by location pointer.
func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Fatalf("got  %s\nwant %s", g, w)
	}
}

func institution(id string) catalog.Institution {
	return catalog.Institution{ID: id, Name: "Institution " + id, RetentionDays: 30}
}

func course(id, inst string) catalog.Course {
	return catalog.Course{ID: id, InstitutionID: inst, Name: "Course " + id}
}

func session(id, crs string) catalog.Session {
	return catalog.Session{
		ID: id, CourseID: crs, Title: "Session " + id,
		StartsAt: t0, EndsAt: t0.Add(50 * time.Minute), State: catalog.StateScheduled,
	}
}

// seed stores institution ins-1, course crs-1 and session ses-1.
func seed(t *testing.T, c catalog.Catalog) (catalog.Institution, catalog.Course, catalog.Session) {
	t.Helper()
	ctx := context.Background()
	in := must(c.PutInstitution(ctx, institution("ins-1")))(t)
	co := must(c.PutCourse(ctx, course("crs-1", "ins-1")))(t)
	s := must(c.PutSession(ctx, session("ses-1", "crs-1")))(t)
	return in, co, s
}

// expect waits for an event equal to want, skipping any other.
func expect(t *testing.T, ch <-chan catalog.Event, want catalog.Event) {
	t.Helper()
	timer := time.NewTimer(EventTimeout)
	defer timer.Stop()
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed waiting for %+v", want)
			}
			if e == want {
				return
			}
		case <-timer.C:
			t.Fatalf("no %+v within %v", want, EventTimeout)
		}
	}
}
