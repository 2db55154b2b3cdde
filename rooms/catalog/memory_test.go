package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/catalog/catalogtest"
)

func TestMemoryConformance(t *testing.T) {
	catalogtest.Run(t, func(*testing.T) catalog.Catalog { return catalog.NewMemory() })
}

func TestMemoryAuditConformance(t *testing.T) {
	catalogtest.RunAudit(t, func(*testing.T) catalog.AuditLog { return catalog.NewMemory() })
}

func TestMemorySlowSubscriberGetsOneResync(t *testing.T) {
	ctx := context.Background()
	m := catalog.NewMemoryWith(catalog.MemoryConfig{EventBuffer: 4})
	seed(t, m)
	ch, stop := m.Subscribe()
	defer stop()

	enroll := func(u string) {
		t.Helper()
		if _, err := m.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs", UserID: u, Role: catalog.RoleStudent}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		enroll(fmt.Sprint("u", i))
	}
	want := []catalog.EventKind{
		catalog.EnrollmentChanged, catalog.EnrollmentChanged, catalog.EnrollmentChanged, catalog.EnrollmentChanged,
		catalog.Resync,
	}
	for i, k := range want {
		if e := <-ch; e.Kind != k {
			t.Fatalf("event %d = %+v, want %s", i, e, k)
		}
	}
	select {
	case e := <-ch:
		t.Fatalf("unexpected %+v after the Resync", e)
	default:
	}

	// Once drained it receives again, and a new overflow gets a new Resync.
	enroll("v0")
	if e := <-ch; e.UserID != "v0" {
		t.Fatalf("after drain got %+v", e)
	}
	for i := range 6 {
		enroll(fmt.Sprint("w", i))
	}
	var kinds []catalog.EventKind
	for len(ch) > 0 {
		kinds = append(kinds, (<-ch).Kind)
	}
	if len(kinds) != 5 || kinds[4] != catalog.Resync {
		t.Fatalf("second overflow delivered %v", kinds)
	}
}

func TestMemoryAuditKeepsNewest(t *testing.T) {
	ctx := context.Background()
	m := catalog.NewMemoryWith(catalog.MemoryConfig{AuditEntries: 5})
	for i := range 12 {
		if err := m.Record(ctx, catalog.AuditEntry{ActorID: "admin", ActorRole: "admin", Action: "x", Detail: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := m.List(ctx, catalog.AuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range got {
		details = append(details, e.Detail)
	}
	if fmt.Sprint(details) != "[11 10 9 8 7]" {
		t.Fatalf("kept %v, want the newest 5", details)
	}
}

var t0 = time.Date(2031, 9, 1, 8, 30, 0, 0, time.UTC)

// seed stores institution ins, course crs and session ses.
func seed(tb testing.TB, c catalog.Catalog) {
	tb.Helper()
	ctx := context.Background()
	if _, err := c.PutInstitution(ctx, catalog.Institution{ID: "ins", Name: "District"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := c.PutCourse(ctx, catalog.Course{ID: "crs", InstitutionID: "ins", Name: "Algebra"}); err != nil {
		tb.Fatal(err)
	}
	s := catalog.Session{ID: "ses", CourseID: "crs", Title: "Week 1", StartsAt: t0, EndsAt: t0.Add(time.Hour), State: catalog.StateLive}
	if _, err := c.PutSession(ctx, s); err != nil {
		tb.Fatal(err)
	}
}
