package catalogtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func testEventsEnrollment(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	ch, stop := c.Subscribe()
	defer stop()
	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleStudent}))(t)
	expect(t, ch, catalog.Event{Kind: catalog.EnrollmentChanged, CourseID: "crs-1", UserID: "u-ada"})
	if err := c.DeleteEnrollment(ctx, "crs-1", "u-ada"); err != nil {
		t.Fatal(err)
	}
	expect(t, ch, catalog.Event{Kind: catalog.EnrollmentRemoved, CourseID: "crs-1", UserID: "u-ada"})
}

func testEventsSession(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	ch1, stop1 := c.Subscribe()
	defer stop1()
	ch2, stop2 := c.Subscribe()
	defer stop2()

	s := must(c.PutSession(ctx, session("ses-2", "crs-1")))(t)
	changed := catalog.Event{Kind: catalog.SessionChanged, CourseID: "crs-1", SessionID: "ses-2"}
	ended := catalog.Event{Kind: catalog.SessionEnded, CourseID: "crs-1", SessionID: "ses-2"}
	expect(t, ch1, changed)
	expect(t, ch2, changed)

	s.Settings.ChatLocked = true
	s = must(c.PutSession(ctx, s))(t)
	expect(t, ch1, changed)

	s.State = catalog.StateEnded
	s = must(c.PutSession(ctx, s))(t)
	expect(t, ch1, ended)
	expect(t, ch2, ended)

	// Editing an ended session (adding the recording) is a change, not a
	// second end.
	s.Video = catalog.Video{Provider: catalog.ProviderJitsi, JoinURL: "https://meet.jit.si/x", RecordingURL: "https://example.org/r"}
	must(c.PutSession(ctx, s))(t)
	expect(t, ch1, changed)
}

func testEventsUnsubscribe(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	ch, stop := c.Subscribe()
	stop()
	stop() // idempotent
	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-ada", Role: catalog.RoleStudent}))(t)
	timer := time.NewTimer(EventTimeout)
	defer timer.Stop()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timer.C:
			t.Fatal("channel not closed after unsubscribe")
		}
	}
}

// testEventsUnreadSubscriber checks that a subscriber that never reads does
// not hold writers up, and that one that lost events is told so.
func testEventsUnreadSubscriber(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	ch, stop := c.Subscribe()
	defer stop()

	const writes = 2000
	done := make(chan error, 1)
	go func() {
		for i := range writes {
			e := catalog.Enrollment{CourseID: "crs-1", UserID: fmt.Sprintf("u-%04d", i), Role: catalog.RoleStudent}
			if _, err := c.PutEnrollment(ctx, e); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("writers blocked behind an unread subscriber")
	}

	last := catalog.Event{Kind: catalog.EnrollmentChanged, CourseID: "crs-1", UserID: fmt.Sprintf("u-%04d", writes-1)}
	if got, resync := readUntil(t, ch, last); !resync && got < writes {
		t.Fatalf("received %d of %d events and no Resync", got, writes)
	}

	// The subscription still works after falling behind.
	must(c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: "u-late", Role: catalog.RoleStudent}))(t)
	expect(t, ch, catalog.Event{Kind: catalog.EnrollmentChanged, CourseID: "crs-1", UserID: "u-late"})
}

// readUntil reads events until want or a Resync arrives (an implementation
// that dropped an event has queued a Resync by the time want would have
// come). It returns how many other events it read and whether it ended on
// a Resync.
func readUntil(t *testing.T, ch <-chan catalog.Event, want catalog.Event) (int, bool) {
	t.Helper()
	timer := time.NewTimer(EventTimeout)
	defer timer.Stop()
	for n := 0; ; n++ {
		select {
		case e := <-ch:
			switch e {
			case catalog.Event{Kind: catalog.Resync}:
				return n, true
			case want:
				return n + 1, false
			}
		case <-timer.C:
			t.Fatalf("neither %+v nor a Resync within %v", want, EventTimeout)
		}
	}
}
