package gateway

import (
	"context"
	"errors"
	"fmt"
	"github.com/homeroom-edu/homeroom/activities"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/admin"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server is a Homeroom node: the gateway, the live-session registry and
// the HTTP endpoints around them.
type Server struct {
	cfg   Config
	log   *slog.Logger
	reg   *rooms.Registry
	gw    *Gateway
	m     *metrics
	http  *http.Server
	admin http.Handler
	pages http.Handler

	ln    net.Listener
	ready atomic.Bool

	stopOnce sync.Once
	stopErr  error
}

// Deps are the components a server is built from.
type Deps struct {
	// Docs keeps session documents while no node holds them live.
	Docs rooms.DocStore
	// Catalog is the room model: who may join which session as what.
	Catalog catalog.Catalog
	// Audit records privileged actions.
	Audit catalog.AuditLog
	// Tokens verifies join tokens.
	Tokens *identity.Verifier
	// Pages, if set, serves every path the node does not (the browser
	// classroom, web.Handler). Optional: nil serves none.
	Pages http.Handler
}

func (d Deps) validate() error {
	if d.Docs == nil || d.Catalog == nil || d.Audit == nil || d.Tokens == nil {
		return errors.New("gateway: Docs, Catalog, Audit and Tokens are all required")
	}
	return nil
}

// NewServer builds a server from its components. It does not listen until
// Listen or Serve.
func NewServer(cfg Config, deps Deps, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := deps.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := newMetrics()
	reg := rooms.NewRegistry(cfg.Rooms, deps.Docs, log, m.rooms)
	reg.Attach(deps.Catalog, deps.Audit)
	acts, _ := deps.Docs.(activities.Store) // every durable store keeps activities
	if acts != nil {
		acfg := cfg.Activities
		if acfg.BallotLinks == nil {
			acfg.BallotLinks = ballotLinks(deps.Catalog)
		}
		if err := reg.EnableActivities(acfg, acts); err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg, log: log, reg: reg, m: m, gw: newGateway(cfg, deps, reg, log, m), pages: deps.Pages}
	adminOpts := []admin.Option{admin.WithDocs(deps.Docs)}
	if acts != nil {
		adminOpts = append(adminOpts, admin.WithActivities(acts))
	}
	s.admin = admin.New(admin.Config{APIKey: cfg.AdminKey}, deps.Catalog, deps.Audit, log, adminOpts...)
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/ws", s.gw)
	mux.Handle("/admin/", s.admin)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{}))
	if s.pages != nil {
		mux.Handle("/", s.pages)
	}
	return mux
}

// Listen binds the configured address.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("failed to listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address (useful with port 0).
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.cfg.Addr
	}
	return s.ln.Addr().String()
}

// Serve serves on the bound listener until ctx is done, then shuts down
// gracefully within Config.ShutdownTimeout.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	s.ready.Store(true)
	s.log.Info("serving", "addr", s.Addr())
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("failed to serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.Shutdown(sctx)
	<-errc
	return err
}

// Shutdown stops the node in order: stop accepting, tell every client to
// reconnect (close 1012 after flushing its queue), save every session,
// then wait for connections to end. It is idempotent.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.ready.Store(false)
		s.log.Info("shutting down", "connections", s.gw.Open(), "sessions", s.reg.Len())
		httpErr := s.http.Shutdown(ctx)
		if errors.Is(httpErr, http.ErrServerClosed) {
			httpErr = nil
		}
		regErr := s.reg.Shutdown(ctx)
		gwErr := s.gw.drain(ctx)
		s.stopErr = errors.Join(httpErr, regErr, gwErr)
		s.log.Info("stopped", "err", s.stopErr)
	})
	return s.stopErr
}

// Connections returns the number of open WebSocket connections.
func (s *Server) Connections() int { return s.gw.Open() }

// ballotLinks reads the policy of the institution a course belongs to:
// whether the voters of anonymous polls may be kept for analysts.
func ballotLinks(cat catalog.Catalog) func(ctx context.Context, courseID string) bool {
	return func(ctx context.Context, courseID string) bool {
		c, err := cat.GetCourse(ctx, courseID)
		if err != nil {
			return false
		}
		in, err := cat.GetInstitution(ctx, c.InstitutionID)
		return err == nil && in.BallotLinks
	}
}
