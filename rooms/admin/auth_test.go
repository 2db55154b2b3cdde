package admin

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		auth   string
		status int
		code   string
	}{
		{"missing", "", 401, CodeUnauthorized},
		{"wrong key", "Bearer wrong-key-0123456789abc", 401, CodeUnauthorized},
		{"key prefix", "Bearer " + testKey[:10], 401, CodeUnauthorized},
		{"key plus extra", "Bearer " + testKey + "x", 401, CodeUnauthorized},
		{"basic scheme", "Basic " + testKey, 401, CodeUnauthorized},
		{"no scheme", testKey, 401, CodeUnauthorized},
		{"right key", "Bearer " + testKey, 200, ""},
		{"scheme any case", "bearer " + testKey, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send("GET", "/admin/institutions", nil, tt.auth)
			want(t, r, tt.status, tt.code)
			if tt.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
}

// Without the key a client learns nothing, not even which routes exist.
func TestAuthBeforeRouting(t *testing.T) {
	e := newEnv(t)
	want(t, e.send("GET", "/admin/no-such-thing", nil, ""), 401, CodeUnauthorized)
	want(t, e.send("DELETE", "/admin/institutions", nil, ""), 401, CodeUnauthorized)
	want(t, e.send("POST", "/admin/institutions", `{"name":"x"}`, "Bearer nope"), 401, CodeUnauthorized)
	if n := len(e.audit("")); n != 0 {
		t.Fatalf("refused request wrote %d audit entries", n)
	}
}

func TestDisabledWithoutKey(t *testing.T) {
	e := newEnvWith(t, Config{}, nil)
	for _, tt := range []struct{ method, path, auth string }{
		{"GET", "/admin/institutions", ""},
		{"GET", "/admin/institutions", "Bearer "},
		{"GET", "/admin/institutions", "Bearer " + testKey},
		{"POST", "/admin/institutions", "Bearer "},
		{"GET", "/admin/audit", ""},
		{"GET", "/admin/anything", ""},
	} {
		want(t, e.send(tt.method, tt.path, nil, tt.auth), 404, CodeNotFound)
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t)
	want(t, e.do("GET", "/admin/nope", nil), 404, CodeNotFound)
	want(t, e.do("GET", "/admin/courses/x/enrollments/u/extra", nil), 404, CodeNotFound)

	r := e.do("DELETE", "/admin/institutions", nil)
	want(t, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Fatalf("Allow = %q", allow)
	}
	want(t, e.do("PUT", "/admin/sessions/ses-1", nil), http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	want(t, e.do("POST", "/admin/audit", nil), http.StatusMethodNotAllowed, CodeMethodNotAllowed)
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{APIKey: testKey, MaxBodyBytes: 4096}, true},
		{Config{APIKey: "short"}, false},
		{Config{APIKey: "has space in the middle of it"}, false},
		{Config{MaxBodyBytes: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%+v) = %v", tt.cfg, err)
		}
	}
}
