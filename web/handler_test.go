package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerRoutes(t *testing.T) {
	h := Handler()
	index, _ := staticFS.ReadFile("static/index.html")
	for _, tt := range []struct {
		path, ctype string
		status      int
		body        []byte
	}{
		{"/", "text/html; charset=utf-8", 200, index},
		{"/s/algebra-1", "text/html; charset=utf-8", 200, index},
		{"/s/algebra-1/", "text/html; charset=utf-8", 200, index},
		{"/static/app.js", "text/javascript; charset=utf-8", 200, nil},
		{"/static/app.css", "text/css; charset=utf-8", 200, nil},
		{"/static/automerge.wasm", "application/wasm", 200, nil},
		{"/sw.js", "text/javascript; charset=utf-8", 200, nil},
		{"/static/nope.js", "", 404, nil},
		{"/s/a/b", "", 404, nil},
		{"/elsewhere", "", 404, nil},
	} {
		res := get(t, h, tt.path)
		if res.StatusCode != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.path, res.StatusCode, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tt.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.ctype)
		}
		body, _ := io.ReadAll(res.Body)
		if tt.body != nil && !bytes.Equal(body, tt.body) {
			t.Errorf("GET %s: body is not index.html", tt.path)
		}
	}
}

func TestHandlerHeaders(t *testing.T) {
	h := Handler()
	res := get(t, h, "/s/x") // httptest's requests are for host example.com
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "'wasm-unsafe-eval'", "connect-src 'self' ws://example.com wss://example.com", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if res.Header.Get("Referrer-Policy") != "no-referrer" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("page headers: %v", res.Header)
	}
	if got := get(t, h, "/sw.js").Header.Get("Service-Worker-Allowed"); got != "/" {
		t.Errorf("Service-Worker-Allowed %q", got)
	}
}

func TestHandlerETagAndGzip(t *testing.T) {
	h := Handler()
	plain := get(t, h, "/static/app.js")
	etag := plain.Header.Get("ETag")
	if etag == "" || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("plain: ETag %q, Content-Encoding %q", etag, plain.Header.Get("Content-Encoding"))
	}
	if res := get(t, h, "/static/app.js", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d, want 304", res.StatusCode)
	}
	gz := get(t, h, "/static/app.js", "Accept-Encoding", "br, gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag {
		t.Fatalf("gzip: Content-Encoding %q ETag %q", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	want, _ := staticFS.ReadFile("static/app.js")
	if !bytes.Equal(got, want) {
		t.Fatal("gunzipped app.js differs")
	}
	if res := get(t, h, "/static/app.js", "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Fatal("gzip;q=0 got gzip")
	}
}
