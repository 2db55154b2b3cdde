package admin

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func TestAuditRoute(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"state": "live"}), 200, "")
	want(t, e.do("POST", "/admin/sessions", map[string]any{"id": "ses-2", "course_id": "crs-1", "title": "W2", "starts_at": t0, "ends_at": t0.Add(time.Hour)}), 201, "")

	all := e.audit("")
	if len(all) != 5 {
		t.Fatalf("%d entries, want 5: %+v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatalf("not newest first: %+v", all)
		}
	}
	ses1 := e.audit("ses-1")
	if len(ses1) != 2 || ses1[0].Action != "session.start" || ses1[1].Action != "session.create" {
		t.Fatalf("ses-1 entries = %+v", ses1)
	}

	var l list[catalog.AuditEntry]
	r := e.do("GET", "/admin/audit?limit=1", nil)
	want(t, r, 200, "")
	r.decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].SessionID != "ses-2" {
		t.Fatalf("limit=1: %+v", l.Items)
	}
	want(t, e.do("GET", "/admin/audit?limit=x", nil), 400, CodeInvalid)
	if !strings.Contains(string(e.do("GET", "/admin/audit?session=none", nil).body), `"items": []`) {
		t.Fatal("an empty audit list is not []")
	}
}

// brokenCatalog fails every course lookup, as a database that went away.
type brokenCatalog struct{ catalog.Catalog }

func (brokenCatalog) GetCourse(context.Context, string) (catalog.Course, error) {
	return catalog.Course{}, errors.New("connection refused by db-7")
}

func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	e := newEnvWith(t, Config{APIKey: testKey}, brokenCatalog{catalog.NewMemory()})
	r := e.do("GET", "/admin/courses/crs-1", nil)
	want(t, r, 500, CodeInternal)
	if strings.Contains(string(r.body), "db-7") {
		t.Fatalf("client sees the cause: %s", r.body)
	}
	if logs := e.log.String(); !strings.Contains(logs, "db-7") || !strings.Contains(logs, "/admin/courses/crs-1") {
		t.Fatalf("cause not logged: %s", logs)
	}
}

// The key and request bodies never reach the log, whatever happens.
func TestNeverLogsKeyOrBody(t *testing.T) {
	e := newEnvWith(t, Config{APIKey: testKey}, brokenCatalog{catalog.NewMemory()})
	const marker = "SECRET-BODY-MARKER"
	e.do("POST", "/admin/institutions", map[string]any{"id": "i", "name": marker})
	e.do("POST", "/admin/institutions", `{"name": "`+marker)
	e.do("PUT", "/admin/courses/c/enrollments/u", map[string]any{"role": marker})
	e.send("GET", "/admin/institutions", nil, "Bearer "+marker)
	e.send("GET", "/admin/institutions", nil, "Bearer "+testKey+"x")
	logs := e.log.String()
	if logs == "" {
		t.Fatal("nothing logged; the test proves nothing")
	}
	for _, secret := range []string{marker, testKey} {
		if strings.Contains(logs, secret) {
			t.Fatalf("log contains %q:\n%s", secret, logs)
		}
	}
}

// Concurrent PATCHes of one session either apply or answer 409; none is
// silently lost.
func TestConcurrentPatches(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	fields := []string{"board_locked", "chat_locked", "student_cursors"}
	status := make([]int, len(fields))
	var wg sync.WaitGroup
	for i, f := range fields {
		wg.Go(func() {
			status[i] = e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"settings": map[string]any{f: true}}).status
		})
	}
	wg.Wait()
	var s catalog.Session
	e.do("GET", "/admin/sessions/ses-1", nil).decode(t, &s)
	got := []bool{s.Settings.BoardLocked, s.Settings.ChatLocked, s.Settings.StudentCursors}
	for i, f := range fields {
		switch {
		case status[i] == 200 && !got[i]:
			t.Errorf("%s: answered 200 but the change was lost", f)
		case status[i] != 200 && status[i] != 409:
			t.Errorf("%s: status %d", f, status[i])
		}
	}
}
