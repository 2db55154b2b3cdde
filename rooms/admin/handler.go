package admin

import (
	"crypto/sha256"
	"log/slog"
	"net/http"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// Actor is the ActorID and ActorRole of every audit entry the admin API
// records.
const Actor = "admin"

type handler struct {
	cfg   Config
	cat   catalog.Catalog
	audit catalog.AuditLog
	log   *slog.Logger
	mux   *http.ServeMux
	key   [sha256.Size]byte // hash of cfg.APIKey, for comparing in constant time
	docs  rooms.DocStore    // nil: no export routes
	act   activities.Store  // nil: no activity routes
	// purger deletes users' personal data; nil: no purge route.
	purger privacy.UserPurger
}

// New returns the admin API handler. Mount it at "/admin/" without
// stripping the prefix: its routes are full paths such as
// "/admin/courses/{id}". cat and audit must not be nil; log may be (then
// nothing is logged). New has no side effects; call cfg.Validate first.
func New(cfg Config, cat catalog.Catalog, audit catalog.AuditLog, log *slog.Logger, opts ...Option) http.Handler {
	if cat == nil || audit == nil {
		panic("admin: New needs a catalog and an audit log")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{cfg: cfg.withDefaults(), cat: cat, audit: audit, log: log, mux: http.NewServeMux(),
		key: sha256.Sum256([]byte(cfg.APIKey))}
	for _, o := range opts {
		o(h)
	}
	h.routes()
	return h
}

func (h *handler) routes() {
	m := h.mux
	m.HandleFunc("POST /admin/institutions", h.createInstitution)
	m.HandleFunc("GET /admin/institutions", h.listInstitutions)
	m.HandleFunc("GET /admin/institutions/{id}", h.getInstitution)
	m.HandleFunc("PATCH /admin/institutions/{id}", h.patchInstitution)

	m.HandleFunc("POST /admin/courses", h.createCourse)
	m.HandleFunc("GET /admin/courses", h.listCourses)
	m.HandleFunc("GET /admin/courses/{id}", h.getCourse)
	m.HandleFunc("PATCH /admin/courses/{id}", h.patchCourse)

	m.HandleFunc("POST /admin/sessions", h.createSession)
	m.HandleFunc("GET /admin/sessions", h.listSessions)
	m.HandleFunc("GET /admin/sessions/{id}", h.getSession)
	m.HandleFunc("PATCH /admin/sessions/{id}", h.patchSession)

	m.HandleFunc("GET /admin/courses/{id}/enrollments", h.listEnrollments)
	m.HandleFunc("POST /admin/courses/{id}/enrollments", h.bulkEnroll)
	m.HandleFunc("PUT /admin/courses/{id}/enrollments/{user}", h.putEnrollment)
	m.HandleFunc("GET /admin/courses/{id}/enrollments/{user}", h.getEnrollment)
	m.HandleFunc("DELETE /admin/courses/{id}/enrollments/{user}", h.deleteEnrollment)

	m.HandleFunc("GET /admin/audit", h.listAudit)

	if h.docs != nil {
		m.HandleFunc("GET /admin/sessions/{id}/export", h.exportSession)
		m.HandleFunc("GET /admin/sessions/{id}/board.svg", h.boardSVG)
	}
	if h.act != nil {
		m.HandleFunc("GET /admin/sessions/{id}/polls", h.sessionPolls)
	}
	if h.purger != nil {
		m.HandleFunc("DELETE /admin/users/{id}", h.purgeUser)
	}
}

// ServeHTTP checks the key before routing, so an unauthenticated client
// learns nothing about which paths exist, then answers unmatched paths and
// methods with the JSON error shape.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.cfg.APIKey == "" {
		writeError(w, http.StatusNotFound, CodeNotFound, "the admin API is disabled: no API key is configured")
		return
	}
	if !h.authorized(r) {
		h.log.WarnContext(r.Context(), "admin request refused: missing or wrong API key",
			"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="homeroom-admin"`)
		writeError(w, http.StatusUnauthorized, CodeUnauthorized, `send "Authorization: Bearer <admin API key>"`)
		return
	}
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.unrouted(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// unrouted answers a request no route matches: 405 (with the Allow header
// the mux computed) when the path exists under other methods, else 404.
func (h *handler) unrouted(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{header: make(http.Header)}
	h.mux.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", rec.header.Get("Allow"))
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+rec.header.Get("Allow"))
		return
	}
	writeError(w, http.StatusNotFound, CodeNotFound, "no such route: "+r.Method+" "+r.URL.Path)
}

// statusRecorder captures the status and headers of the mux's own 404 and
// 405 answers and discards their plain-text bodies.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header         { return s.header }
func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusRecorder) WriteHeader(code int)        { s.status = code }

// Interface guards.
var _ http.Handler = (*handler)(nil)
