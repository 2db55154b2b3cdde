package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// Handler serves the browser classroom:
//
//	GET /                  the start page (how to join a class)
//	GET /s/{session}       the class page; the token is in the fragment
//	GET /static/{file}     its script, styles, wasm and icons
//	GET /sw.js             the service worker that keeps the page offline
//
// Anything else is 404. Responses carry a content security policy that
// allows only this origin (and its WebSocket), with frames for the video
// provider; assets are revalidated by ETag, and sent gzipped (as build.mjs
// compressed them) to clients that accept it.
func Handler() http.Handler {
	h, err := newHandler(staticFS)
	if err != nil {
		panic(fmt.Sprintf("web: embedded bundle: %v", err)) // the bundle is compiled in: a broken one is a build bug
	}
	return h
}

// asset is one embedded file, with its gzipped form when build.mjs wrote
// one (name.gz).
type asset struct {
	name  string
	body  []byte
	gz    []byte
	ctype string
	etag  string
}

type handler struct {
	mux    *http.ServeMux
	assets map[string]*asset
}

func newHandler(fsys fs.FS) (*handler, error) {
	sub, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, err
	}
	h := &handler{mux: http.NewServeMux(), assets: map[string]*asset{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".gz") {
			return nil // read with the file it compresses
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		gz, err := fs.ReadFile(sub, p+".gz")
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".wasm":
			ctype = "application/wasm"
		case ".webmanifest":
			ctype = "application/manifest+json"
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		h.assets[p] = &asset{name: p, body: b, gz: gz, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if h.assets["index.html"] == nil || h.assets["app.js"] == nil || h.assets["sw.js"] == nil {
		return nil, fmt.Errorf("static/ lacks index.html, app.js or sw.js: run make web")
	}
	h.mux.HandleFunc("GET /{$}", h.page)
	h.mux.HandleFunc("GET /s/{session}", h.page)
	h.mux.HandleFunc("GET /s/{session}/{$}", h.page)
	h.mux.HandleFunc("GET /static/{file}", h.static)
	h.mux.HandleFunc("GET /sw.js", h.worker)
	return h, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// page serves the one HTML page; the script reads the session from the path.
func (h *handler) page(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", contentPolicy(r.Host))
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-cache")
	h.serve(w, r, h.assets["index.html"])
}

func (h *handler) static(w http.ResponseWriter, r *http.Request) {
	a := h.assets[r.PathValue("file")]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	h.serve(w, r, a)
}

// worker serves the service worker from the root, so its scope is the site.
func (h *handler) worker(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Service-Worker-Allowed", "/")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.serve(w, r, h.assets["sw.js"])
}

// serve writes an asset, gzipped when the client accepts it and there is a
// gzipped form, with its ETag (http.ServeContent answers If-None-Match with
// 304, and HEAD and ranges).
func (h *handler) serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hdr := w.Header()
	hdr.Set("Content-Type", a.ctype)
	body, etag := a.body, a.etag
	if a.gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body = a.gz
			etag = strings.TrimSuffix(a.etag, `"`) + `-gz"`
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// contentPolicy allows this origin only: scripts (and compiling the
// Automerge wasm), styles, the WebSocket to the same host, and frames for
// the video provider, which may be any https site.
func contentPolicy(host string) string {
	connect := "'self'"
	if host != "" && !strings.ContainsAny(host, " ;'\"") {
		connect += " ws://" + host + " wss://" + host
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src " + connect,
		"frame-src https: http:",
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}
