package admin

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

const testKey = "test-key-0123456789abcdef"

// env is an admin API on a random port over a memory catalog.
type env struct {
	t   *testing.T
	srv *httptest.Server
	cat *catalog.Memory
	log *syncBuffer
}

func newEnv(t *testing.T) *env {
	return newEnvWith(t, Config{APIKey: testKey}, nil)
}

// newEnvWith serves cat (a fresh memory catalog when nil) with cfg.
func newEnvWith(t *testing.T, cfg Config, cat catalog.Catalog) *env {
	t.Helper()
	mem := catalog.NewMemory()
	if cat == nil {
		cat = mem
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mux := http.NewServeMux()
	mux.Handle("/admin/", New(cfg, cat, mem, log))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, cat: mem, log: logs}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errCode returns the error code of an error response ("" if none).
func (r response) errCode() string {
	var e errorBody
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r response) errMessage() string {
	var e errorBody
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Message
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends an authenticated request; body is JSON-encoded unless it is a
// string (sent as is) or nil.
func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.send(method, path, body, "Bearer "+testKey)
}

func (e *env) send(method, path string, body any, auth string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNoContent && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		e.t.Fatalf("%s %s: Content-Type %q, body %s", method, path, resp.Header.Get("Content-Type"), b)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// want checks the status (and, for errors, the code) of r.
func want(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status || r.errCode() != code {
		t.Fatalf("status %d code %q, want %d %q; body %s", r.status, r.errCode(), status, code, r.body)
	}
}

// setUp creates institution ins-1, course crs-1 and session ses-1.
func (e *env) setUp() {
	e.t.Helper()
	want(e.t, e.do("POST", "/admin/institutions", map[string]any{"id": "ins-1", "name": "Springfield District"}), 201, "")
	want(e.t, e.do("POST", "/admin/courses", map[string]any{"id": "crs-1", "institution_id": "ins-1", "name": "Algebra I"}), 201, "")
	want(e.t, e.do("POST", "/admin/sessions", map[string]any{
		"id": "ses-1", "course_id": "crs-1", "title": "Week 1",
		"starts_at": t0, "ends_at": t0.Add(50 * time.Minute),
	}), 201, "")
}

var t0 = time.Date(2031, 9, 1, 8, 30, 0, 0, time.UTC)

// audit returns the recorded audit entries, newest first.
func (e *env) audit(session string) []catalog.AuditEntry {
	e.t.Helper()
	var l list[catalog.AuditEntry]
	r := e.do("GET", "/admin/audit?limit=1000&session="+session, nil)
	want(e.t, r, 200, "")
	r.decode(e.t, &l)
	return l.Items
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
