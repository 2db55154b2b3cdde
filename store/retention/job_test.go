package retention_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/store/postgres/pgtest"
	"github.com/homeroom-edu/homeroom/store/privacy"
	"github.com/homeroom-edu/homeroom/store/retention"
	"github.com/homeroom-edu/homeroom/store/sqlite"
)

// subject is a store under test: a catalog and audit log, documents,
// activities and the session purger.
type subject struct {
	cat   catalog.Catalog
	audit catalog.AuditLog
	docs  rooms.DocStore
	act   activities.Store
	purge privacy.SessionPurger
}

// stores runs fn against the memory store, SQLite and Postgres.
func stores(t *testing.T, fn func(t *testing.T, s subject)) {
	t.Run("Memory", func(t *testing.T) {
		t.Parallel()
		m, cat := store.NewMemory(), catalog.NewMemory()
		fn(t, subject{cat, cat, m, m, store.MemoryPurge{Store: m, Catalog: cat}})
	})
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "homeroom.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		fn(t, subject{s, s, s, s, s})
	})
	t.Run("Postgres", func(t *testing.T) {
		t.Parallel()
		s := pgtest.NewStore(t)
		fn(t, subject{s, s, s, s, s})
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seedSession creates an ended session that ended at end, with a
// document, a chat message and an audit entry.
func seedSession(t *testing.T, s subject, course, id string, end time.Time) {
	t.Helper()
	seedSessionIn(t, s, course, id, end, catalog.StateEnded)
}

// seedSessionIn is seedSession for a session in any state.
func seedSessionIn(t *testing.T, s subject, course, id string, end time.Time, state catalog.State) {
	t.Helper()
	ctx := context.Background()
	_, err := s.cat.PutSession(ctx, catalog.Session{ID: id, CourseID: course, Title: id, StartsAt: end.Add(-time.Hour),
		EndsAt: end, State: state})
	must(t, err)
	must(t, s.docs.SaveDoc(ctx, id, []byte("document of "+id)))
	must(t, s.act.AppendChat(ctx, []activities.ChatMessage{{Session: id, Seq: 1, User: "u-1", Name: "Ann", Role: "student",
		Text: "hi", SentAt: end.Add(-30 * time.Minute)}}))
	must(t, s.audit.Record(ctx, catalog.AuditEntry{ActorID: "u-t", ActorRole: "teacher", Action: "board.lock", SessionID: id}))
}

// kept reports whether session id still has its document and chat.
func kept(t *testing.T, s subject, id string) bool {
	t.Helper()
	ctx := context.Background()
	doc, err := s.docs.LoadDoc(ctx, id)
	must(t, err)
	chat, err := s.act.ChatHistory(ctx, id, 0, 10)
	must(t, err)
	audit, err := s.audit.List(ctx, catalog.AuditQuery{SessionID: id})
	must(t, err)
	if (doc != nil) != (len(chat) == 1) || (doc != nil) != (len(audit) == 1) {
		t.Fatalf("session %s half purged: doc %q, chat %v, audit %v", id, doc, chat, audit)
	}
	return doc != nil
}

func TestSweepKeepsEachInstitutionsRetention(t *testing.T) {
	stores(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		// The catalog stamps records with the real clock; the sweep runs
		// at a "now" far enough ahead that those stamps are older than
		// every cutoff, so the scheduled ends decide.
		now := time.Now().Add(1000 * 24 * time.Hour)
		days := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
		for _, in := range []catalog.Institution{
			{ID: "short", Name: "Keeps 30 days", RetentionDays: 30},
			{ID: "default", Name: "Server default"},
		} {
			_, err := s.cat.PutInstitution(ctx, in)
			must(t, err)
			_, err = s.cat.PutCourse(ctx, catalog.Course{ID: in.ID + "-crs", InstitutionID: in.ID, Name: "Course"})
			must(t, err)
		}
		seedSession(t, s, "short-crs", "short-old", days(40))
		seedSession(t, s, "short-crs", "short-new", days(10))
		seedSession(t, s, "default-crs", "default-old", days(400))
		seedSession(t, s, "default-crs", "default-mid", days(40))
		// Never ended: kept however old, and reported.
		seedSessionIn(t, s, "short-crs", "short-abandoned", days(400), catalog.StateLive)

		var logs bytes.Buffer
		job := retention.New(retention.Config{BatchSize: 1}, s.cat, s.purge, s.audit,
			slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		rep, err := job.Sweep(ctx, now)
		must(t, err)
		if rep.Institutions != 2 || rep.Expired != 2 || rep.Stale != 1 || rep.Purged.Sessions != 2 || rep.Purged.Documents != 2 ||
			rep.Purged.ChatMessages != 2 || rep.Purged.Audit != 2 {
			t.Errorf("report = %+v", rep)
		}
		for id, want := range map[string]bool{"short-old": false, "short-new": true, "default-old": false, "default-mid": true,
			"short-abandoned": true} {
			if got := kept(t, s, id); got != want {
				t.Errorf("session %s kept = %v, want %v", id, got, want)
			}
			if _, err := s.cat.GetSession(ctx, id); err != nil {
				t.Errorf("catalog row of %s: %v", id, err)
			}
		}
		entries, err := s.audit.List(ctx, catalog.AuditQuery{})
		must(t, err)
		var recorded []string
		for _, e := range entries {
			if e.Action == retention.ActionPurge {
				recorded = append(recorded, e.TargetID)
				if e.ActorID != retention.Actor || e.SessionID != "" || !strings.Contains(e.Detail, "sessions=1") {
					t.Errorf("audit entry = %+v", e)
				}
			}
		}
		if len(recorded) != 2 {
			t.Errorf("retention audit entries for %v, want both institutions", recorded)
		}
		for _, want := range []string{"institution=short", "institution=default", "days=30", "days=365", "retention purged expired sessions",
			"retention keeps sessions that never ended", "stale=1"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("logs lack %q:\n%s", want, logs.String())
			}
		}

		// A second sweep finds the expired sessions again, with nothing
		// left to delete, and records nothing.
		rep, err = job.Sweep(ctx, now)
		must(t, err)
		if rep.Expired != 2 || rep.Purged.Sessions != 0 || rep.Purged.Rows() != 0 {
			t.Errorf("second sweep = %+v", rep)
		}
		entries, err = s.audit.List(ctx, catalog.AuditQuery{})
		must(t, err)
		if n := count(entries, retention.ActionPurge); n != 2 {
			t.Errorf("%d retention audit entries after the second sweep, want 2", n)
		}
	})
}

func TestSweepCountsFromTheLastChange(t *testing.T) {
	stores(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		_, err := s.cat.PutInstitution(ctx, catalog.Institution{ID: "ins", Name: "District", RetentionDays: 30})
		must(t, err)
		_, err = s.cat.PutCourse(ctx, catalog.Course{ID: "crs", InstitutionID: "ins", Name: "Course"})
		must(t, err)
		// Scheduled long ago, but changed (ended) just now: kept.
		seedSession(t, s, "crs", "reused", time.Now().Add(-2000*24*time.Hour))
		rep, err := retention.New(retention.Config{}, s.cat, s.purge, s.audit, nil).Sweep(ctx, time.Now().Add(10*24*time.Hour))
		must(t, err)
		if rep.Expired != 0 || !kept(t, s, "reused") {
			t.Errorf("report %+v; a session changed 10 days ago is gone", rep)
		}
		rep, err = retention.New(retention.Config{}, s.cat, s.purge, s.audit, nil).Sweep(ctx, time.Now().Add(31*24*time.Hour))
		must(t, err)
		if rep.Expired != 1 || kept(t, s, "reused") {
			t.Errorf("report %+v; a session last changed 31 days ago is kept", rep)
		}
	})
}

func TestSweepKeepsForever(t *testing.T) {
	stores(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		_, err := s.cat.PutInstitution(ctx, catalog.Institution{ID: "ins", Name: "District"})
		must(t, err)
		_, err = s.cat.PutCourse(ctx, catalog.Course{ID: "crs", InstitutionID: "ins", Name: "Course"})
		must(t, err)
		seedSession(t, s, "crs", "ancient", time.Now().Add(-5000*24*time.Hour))
		rep, err := retention.New(retention.Config{DefaultDays: -1}, s.cat, s.purge, s.audit, nil).Sweep(ctx, time.Now().Add(5000*24*time.Hour))
		must(t, err)
		if rep.Institutions != 0 || !kept(t, s, "ancient") {
			t.Errorf("report %+v: an institution without retention_days lost data with DefaultDays < 0", rep)
		}
	})
}

func TestRunSweepsAtOnceAndStops(t *testing.T) {
	m, cat := store.NewMemory(), catalog.NewMemory()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := cat.PutInstitution(ctx, catalog.Institution{ID: "ins", Name: "District", RetentionDays: 1})
	must(t, err)
	_, err = cat.PutCourse(ctx, catalog.Course{ID: "crs", InstitutionID: "ins", Name: "Course"})
	must(t, err)
	s := subject{cat, cat, m, m, store.MemoryPurge{Store: m, Catalog: cat}}
	seedSession(t, s, "crs", "old", time.Now().Add(-48*time.Hour))
	now := time.Now().Add(48 * time.Hour) // past the catalog's stamps too
	job := retention.New(retention.Config{Interval: time.Hour, Now: func() time.Time { return now }}, cat, s.purge, cat, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		job.Run(ctx)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for kept(t, s, "old") {
		if time.Now().After(deadline) {
			t.Fatal("Run did not sweep at start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func count(entries []catalog.AuditEntry, action string) int {
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}
