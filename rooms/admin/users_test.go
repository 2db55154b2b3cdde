package admin

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// newPurgeEnv is an admin API over a memory catalog and memory store,
// purged together, with u-ada enrolled in crs-1 and chatting in ses-1.
func newPurgeEnv(t *testing.T) (*env, *store.Memory) {
	t.Helper()
	cat, mem := catalog.NewMemory(), store.NewMemory()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mux := http.NewServeMux()
	mux.Handle("/admin/", New(Config{APIKey: testKey}, cat, cat, log, WithPurger(store.MemoryPurge{Store: mem, Catalog: cat})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, cat: cat, log: logs}
	e.setUp()
	want(t, e.do("PUT", "/admin/courses/crs-1/enrollments/u-ada", map[string]any{"role": "student"}), 200, "")
	if err := mem.AppendChat(context.Background(), []activities.ChatMessage{{Session: "ses-1", Seq: 1, User: "u-ada",
		Name: "Ada Lovelace", Role: "student", Text: "hi", SentAt: t0}}); err != nil {
		t.Fatal(err)
	}
	return e, mem
}

func TestPurgeUserDryRunThenPurge(t *testing.T) {
	e, mem := newPurgeEnv(t)
	ctx := context.Background()

	// While ses-1 is not ended, its records are left and reported.
	r := e.do("DELETE", "/admin/users/u-ada?dry_run=true", nil)
	want(t, r, 200, "")
	var plan privacy.PurgeReport
	r.decode(t, &plan)
	if !plan.DryRun || plan.Pseudonym != "" || plan.Enrollments != 1 || plan.ChatMessages != 0 || plan.Audit != 1 ||
		strings.Join(plan.OpenSessions, ",") != "ses-1" {
		t.Fatalf("dry run = %+v", plan)
	}
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"state": "ended"}), 200, "")
	r = e.do("DELETE", "/admin/users/u-ada?dry_run=true", nil)
	want(t, r, 200, "")
	r.decode(t, &plan)
	if plan.ChatMessages != 1 || len(plan.OpenSessions) != 0 {
		t.Fatalf("dry run once ended = %+v", plan)
	}
	want(t, e.do("GET", "/admin/courses/crs-1/enrollments/u-ada", nil), 200, "")

	r = e.do("DELETE", "/admin/users/u-ada", nil)
	want(t, r, 200, "")
	var rep privacy.PurgeReport
	r.decode(t, &rep)
	if rep.DryRun || !strings.HasPrefix(rep.Pseudonym, privacy.PseudonymPrefix) || rep.Enrollments != 1 ||
		rep.ChatMessages != 1 || rep.Audit != 1 || len(rep.Sessions) != 1 || len(rep.OpenSessions) != 0 {
		t.Fatalf("purge = %+v", rep)
	}
	want(t, e.do("GET", "/admin/courses/crs-1/enrollments/u-ada", nil), 404, CodeNotFound)
	chat, err := mem.ChatHistory(ctx, "ses-1", 0, 10)
	if err != nil || len(chat) != 1 || chat[0].User != rep.Pseudonym || chat[0].Name != privacy.DeletedName || chat[0].Text != "" {
		t.Fatalf("chat after the purge = %+v, %v", chat, err)
	}

	entries := e.audit("")
	if entries[0].Action != ActionUserPurge || entries[0].ActorID != Actor || entries[0].TargetID != rep.Pseudonym ||
		!strings.Contains(entries[0].Detail, "enrollments=1") {
		t.Fatalf("newest audit entry = %+v", entries[0])
	}
	for _, a := range entries {
		if strings.Contains(a.TargetID+a.ActorID+a.Detail, "u-ada") {
			t.Errorf("audit entry names the user: %+v", a)
		}
	}
	if logs := e.log.String(); strings.Contains(logs, "u-ada") || !strings.Contains(logs, "user purged") {
		t.Errorf("logs:\n%s", logs)
	}

	// Again: nothing left.
	r = e.do("DELETE", "/admin/users/u-ada", nil)
	want(t, r, 200, "")
	r.decode(t, &rep)
	if rep.Total() != 0 {
		t.Errorf("second purge = %+v", rep)
	}
}

func TestPurgeUserBadRequests(t *testing.T) {
	e, _ := newPurgeEnv(t)
	want(t, e.do("DELETE", "/admin/users/u-ada?dry_run=maybe", nil), 400, CodeInvalid)
	want(t, e.do("DELETE", "/admin/users/"+strings.Repeat("x", 1025), nil), 400, CodeInvalid)
	want(t, e.do("GET", "/admin/users/u-ada", nil), 405, CodeMethodNotAllowed)
	want(t, e.send("DELETE", "/admin/users/u-ada", nil, ""), 401, CodeUnauthorized)
}

func TestPurgeRouteNeedsAPurger(t *testing.T) {
	e := newEnv(t)
	want(t, e.do("DELETE", "/admin/users/u-ada", nil), 404, CodeNotFound)

	// A document store that can purge users enables the route.
	type purgingDocs struct {
		rooms.DocStore
		privacy.UserPurger
	}
	cat, mem := catalog.NewMemory(), store.NewMemory()
	h := New(Config{APIKey: testKey}, cat, cat, nil, WithDocs(purgingDocs{mem, store.MemoryPurge{Store: mem, Catalog: cat}}))
	req := httptest.NewRequest("DELETE", "/admin/users/u-ada?dry_run=1", nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"dry_run": true`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestInstitutionBallotLinks(t *testing.T) {
	e := newEnv(t)
	var in catalog.Institution
	r := e.do("POST", "/admin/institutions", map[string]any{"id": "ins-b", "name": "District", "ballot_links": true, "retention_days": 90})
	want(t, r, 201, "")
	r.decode(t, &in)
	if !in.BallotLinks || in.RetentionDays != 90 {
		t.Fatalf("created %+v", in)
	}
	r = e.do("PATCH", "/admin/institutions/ins-b", map[string]any{"ballot_links": false})
	want(t, r, 200, "")
	r.decode(t, &in)
	if in.BallotLinks {
		t.Fatalf("patched %+v", in)
	}
	if got := e.audit("")[0]; got.Action != "institution.update" || got.Detail != "ballot_links=false" {
		t.Fatalf("audit = %+v", got)
	}
}
