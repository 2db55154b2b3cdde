package catalog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/catalog/catalogtest"
)

// The cache must behave exactly like the catalog it wraps.
func TestCachedConformance(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalog.Catalog {
		c := catalog.NewCached(catalog.NewMemory(), time.Minute)
		t.Cleanup(c.Close)
		return c
	})
}

func TestCachedFollowsEnrollmentChanges(t *testing.T) {
	ctx := context.Background()
	mem := catalog.NewMemory()
	c := catalog.NewCached(mem, time.Hour)
	defer c.Close()
	mustPut(t, mem)
	if _, err := c.Admission(ctx, "s1", "ada"); err != nil {
		t.Fatal(err)
	}
	if err := mem.DeleteEnrollment(ctx, "c1", "ada"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.Admission(ctx, "s1", "ada")
		if errors.Is(err, catalog.ErrNotEnrolled) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cached admission outlived the removed enrollment: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustPut(t *testing.T, mem *catalog.Memory) {
	t.Helper()
	ctx := context.Background()
	if _, err := mem.PutInstitution(ctx, catalog.Institution{ID: "i1", Name: "I"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.PutCourse(ctx, catalog.Course{ID: "c1", InstitutionID: "i1", Name: "C"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.PutSession(ctx, catalog.Session{ID: "s1", CourseID: "c1", Title: "S", StartsAt: time.Now(),
		EndsAt: time.Now().Add(time.Hour), State: catalog.StateLive}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.PutEnrollment(ctx, catalog.Enrollment{CourseID: "c1", UserID: "ada", Role: catalog.RoleStudent}); err != nil {
		t.Fatal(err)
	}
}
