package admin

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func TestInstitutionCreateGetPatch(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/admin/institutions", map[string]any{"id": "springfield", "name": "Springfield District", "retention_days": 365})
	want(t, r, 201, "")
	if loc := r.header.Get("Location"); loc != "/admin/institutions/springfield" {
		t.Fatalf("Location = %q", loc)
	}
	var created catalog.Institution
	r.decode(t, &created)
	if created.Name != "Springfield District" || created.RetentionDays != 365 || created.CreatedAt.IsZero() {
		t.Fatalf("created %+v", created)
	}

	var got catalog.Institution
	r = e.do("GET", "/admin/institutions/springfield", nil)
	want(t, r, 200, "")
	r.decode(t, &got)
	if got != created {
		t.Fatalf("get %+v, want %+v", got, created)
	}

	r = e.do("PATCH", "/admin/institutions/springfield", map[string]any{"retention_days": 30})
	want(t, r, 200, "")
	r.decode(t, &got)
	if got.Name != "Springfield District" || got.RetentionDays != 30 || !got.UpdatedAt.After(created.UpdatedAt) {
		t.Fatalf("patched %+v", got)
	}

	// An empty patch changes nothing and records nothing.
	before := len(e.audit(""))
	want(t, e.do("PATCH", "/admin/institutions/springfield", map[string]any{}), 200, "")
	if n := len(e.audit("")); n != before {
		t.Fatalf("no-op patch recorded %d entries", n-before)
	}
	entries := e.audit("")
	if entries[0].Action != "institution.update" || entries[0].Detail != "retention_days=30" || entries[1].Action != "institution.create" {
		t.Fatalf("audit = %+v", entries)
	}
	for _, a := range entries {
		if a.ActorID != "admin" || a.ActorRole != "admin" || a.TargetID != "springfield" {
			t.Fatalf("audit entry %+v", a)
		}
	}
}

func TestInstitutionGeneratedID(t *testing.T) {
	e := newEnv(t)
	var in catalog.Institution
	r := e.do("POST", "/admin/institutions", map[string]any{"name": "Shelbyville"})
	want(t, r, 201, "")
	r.decode(t, &in)
	if !regexp.MustCompile(`^ins_[a-z2-7]{12}$`).MatchString(in.ID) {
		t.Fatalf("generated id %q", in.ID)
	}
	want(t, e.do("GET", "/admin/institutions/"+in.ID, nil), 200, "")
}

func TestInstitutionErrors(t *testing.T) {
	e := newEnv(t)
	want(t, e.do("POST", "/admin/institutions", map[string]any{"id": "ins-1", "name": "One"}), 201, "")
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		code         string
		msg          string // part of the message
	}{
		{"duplicate id", "POST", "/admin/institutions", map[string]any{"id": "ins-1", "name": "Again"}, 409, CodeConflict, "already exists"},
		{"empty name", "POST", "/admin/institutions", map[string]any{"name": ""}, 400, CodeInvalid, "institution.name"},
		{"bad id", "POST", "/admin/institutions", map[string]any{"id": "a b", "name": "x"}, 400, CodeInvalid, "institution.id"},
		{"negative retention", "POST", "/admin/institutions", map[string]any{"name": "x", "retention_days": -1}, 400, CodeInvalid, "retention_days"},
		{"unknown field", "POST", "/admin/institutions", map[string]any{"name": "x", "colour": "red"}, 400, CodeInvalid, `unknown field "colour"`},
		{"server-set field", "POST", "/admin/institutions", map[string]any{"name": "x", "created_at": t0}, 400, CodeInvalid, "created_at"},
		{"malformed", "POST", "/admin/institutions", `{"name": "x"`, 400, CodeInvalid, "malformed JSON"},
		{"not json", "POST", "/admin/institutions", `name=x`, 400, CodeInvalid, "malformed JSON"},
		{"empty body", "POST", "/admin/institutions", nil, 400, CodeInvalid, "empty"},
		{"two values", "POST", "/admin/institutions", `{"name":"x"} {"name":"y"}`, 400, CodeInvalid, "single JSON value"},
		{"wrong type", "POST", "/admin/institutions", `{"name": 7}`, 400, CodeInvalid, `"name" must be a string`},
		{"array body", "POST", "/admin/institutions", `[]`, 400, CodeInvalid, "must be a JSON object"},
		{"too large", "POST", "/admin/institutions", `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, 400, CodeInvalid, "larger than 1 MiB"},
		{"get missing", "GET", "/admin/institutions/nope", nil, 404, CodeNotFound, `"nope"`},
		{"patch missing", "PATCH", "/admin/institutions/nope", map[string]any{"name": "x"}, 404, CodeNotFound, `"nope"`},
		{"patch invalid", "PATCH", "/admin/institutions/ins-1", map[string]any{"name": " "}, 400, CodeInvalid, "institution.name"},
		{"patch id", "PATCH", "/admin/institutions/ins-1", map[string]any{"id": "other"}, 400, CodeInvalid, `unknown field "id"`},
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
	var in catalog.Institution
	e.do("GET", "/admin/institutions/ins-1", nil).decode(t, &in)
	if in.Name != "One" {
		t.Fatalf("failed requests changed ins-1: %+v", in)
	}
}

func TestInstitutionListPagination(t *testing.T) {
	e := newEnv(t)
	for i := 24; i >= 0; i-- {
		want(t, e.do("POST", "/admin/institutions", map[string]any{"id": fmt.Sprintf("ins-%02d", i), "name": "x"}), 201, "")
	}
	var ids []string
	pages := 0
	for path := "/admin/institutions?limit=10"; ; {
		var l list[catalog.Institution]
		r := e.do("GET", path, nil)
		want(t, r, 200, "")
		r.decode(t, &l)
		pages++
		for _, in := range l.Items {
			ids = append(ids, in.ID)
		}
		if l.Next == "" {
			break
		}
		path = "/admin/institutions?limit=10&after=" + l.Next
	}
	if pages != 3 || len(ids) != 25 || ids[0] != "ins-00" || ids[24] != "ins-24" {
		t.Fatalf("%d pages: %v", pages, ids)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Fatalf("not sorted: %v", ids)
		}
	}

	// Exactly one full page has no next.
	var l list[catalog.Institution]
	e.do("GET", "/admin/institutions?limit=25", nil).decode(t, &l)
	if len(l.Items) != 25 || l.Next != "" {
		t.Fatalf("limit=25: %d items, next %q", len(l.Items), l.Next)
	}
	// The default page is 100; above 1000 is capped, not refused.
	l = list[catalog.Institution]{}
	e.do("GET", "/admin/institutions?limit=5000", nil).decode(t, &l)
	if len(l.Items) != 25 {
		t.Fatalf("limit=5000 returned %d", len(l.Items))
	}
	for _, bad := range []string{"0", "-1", "ten", "1.5"} {
		want(t, e.do("GET", "/admin/institutions?limit="+bad, nil), 400, CodeInvalid)
	}
	// An empty list is [], not null.
	r := e.do("GET", "/admin/institutions?after=zzz", nil)
	if !strings.Contains(string(r.body), `"items": []`) {
		t.Fatalf("empty list body %s", r.body)
	}
}
