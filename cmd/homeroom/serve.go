package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg gateway.Config
	var origins, logLevel, logFormat, pprofAddr, tokenSecret, tokenPublicKey, dataDir string
	var demo, migrate bool
	var databaseURL string
	fs := newFlagSet("serve", "Run a Homeroom node: the classroom page at / (and /s/{session}#token=...),\n"+
		"WebSocket endpoint /ws (subprotocol homeroom.v1), the admin API under /admin/,\n"+
		"GET /healthz, GET /readyz and Prometheus GET /metrics. Sessions load on first\n"+
		"join and unload when idle. SIGINT/SIGTERM shut down gracefully: clients are told\n"+
		"to reconnect (close 1012) and every session is saved.", stderr)
	fs.stringVar(&cfg.Addr, "addr", "HOMEROOM_ADDR", "127.0.0.1:8080", "listen address")
	fs.stringVar(&origins, "allowed-origins", "HOMEROOM_ALLOWED_ORIGINS", "", "comma-separated browser origins (host patterns) allowed to connect; empty = same host only; clients without Origin are always allowed")
	fs.stringVar(&tokenSecret, "token-secret", "HOMEROOM_TOKEN_SECRET", "", "HS256 secret (at least 32 bytes) that verifies join tokens; with neither this nor --token-public-key, a development secret is kept in --data-dir")
	fs.stringVar(&tokenPublicKey, "token-public-key", "HOMEROOM_TOKEN_PUBLIC_KEY", "", "PEM file with the Ed25519 public key that verifies EdDSA join tokens minted by an institution's backend")
	fs.stringVar(&dataDir, "data-dir", "HOMEROOM_DATA_DIR", "./data", "directory for local state: the embedded SQLite store (homeroom.db) and the development token secret")
	fs.stringVar(&databaseURL, "database-url", "DATABASE_URL", "", "Postgres URL (postgres://user@host/db); empty: the embedded SQLite store in --data-dir")
	fs.boolVar(&migrate, "migrate", "HOMEROOM_MIGRATE", true, "apply pending Postgres migrations at start (the embedded store is always migrated); or run 'homeroom migrate'")
	fs.stringVar(&cfg.AdminKey, "admin-key", "HOMEROOM_ADMIN_KEY", "", "API key of the admin API under /admin/ (at least 16 bytes); empty disables it")
	fs.intVar(&cfg.MaxConnections, "max-connections", "HOMEROOM_MAX_CONNECTIONS", 10000, "open WebSockets on this node before upgrades get 503 + Retry-After")
	fs.intVar(&cfg.Rooms.MaxParticipants, "max-participants", "HOMEROOM_MAX_PARTICIPANTS", 0, "members of one session before joins are refused with 4013 (0 = no cap)")
	var maxMsg int
	fs.intVar(&maxMsg, "max-message-bytes", "HOMEROOM_MAX_MESSAGE_BYTES", 1<<20, "largest WebSocket message accepted from a client (larger: close 1009)")
	fs.floatVar(&cfg.RatePerSecond, "rate", "HOMEROOM_RATE", 50, "messages per second each student's or observer's connection may send (token bucket)")
	fs.intVar(&cfg.Burst, "burst", "HOMEROOM_BURST", 100, "burst of messages each connection may send above the rate")
	fs.floatVar(&cfg.StaffRatePerSecond, "staff-rate", "HOMEROOM_STAFF_RATE", 200, "messages per second a teacher's or moderator's connection may send")
	fs.intVar(&cfg.StaffBurst, "staff-burst", "HOMEROOM_STAFF_BURST", 400, "burst of messages for teachers and moderators")
	fs.intVar(&cfg.Peer.QueueFrames, "send-queue-frames", "HOMEROOM_SEND_QUEUE_FRAMES", 512, "frames queued for one client before it is a slow consumer (presence dropped first, then close 4008)")
	fs.intVar(&cfg.Peer.QueueBytes, "send-queue-bytes", "HOMEROOM_SEND_QUEUE_BYTES", 8<<20, "bytes queued for one client before it is a slow consumer")
	fs.durationVar(&cfg.Peer.WriteTimeout, "write-timeout", "HOMEROOM_WRITE_TIMEOUT", gatewayDefault.WriteTimeout, "timeout of one WebSocket write")
	fs.durationVar(&cfg.IdleTimeout, "idle-timeout", "HOMEROOM_IDLE_TIMEOUT", gatewayDefault.IdleTimeout, "close a connection silent this long (clients heartbeat every 15s)")
	fs.durationVar(&cfg.Rooms.IdleTimeout, "session-idle-timeout", "HOMEROOM_SESSION_IDLE_TIMEOUT", gatewayDefault.SessionIdle, "unload a session this long after its last member left")
	fs.durationVar(&cfg.Rooms.RosterInterval, "roster-interval", "HOMEROOM_ROSTER_INTERVAL", gatewayDefault.Roster, "batch server-written presence roster changes this long")
	fs.intVar(&cfg.Rooms.MaxDocBytes, "max-doc-bytes", "HOMEROOM_MAX_DOC_BYTES", 64<<20, "size a session document may reach; changes past it are refused with too_large (negative: no cap)")
	fs.durationVar(&cfg.Rooms.SaveInterval, "save-interval", "HOMEROOM_SAVE_INTERVAL", time.Second, "how often a live session writes its new changes to the store (a node that dies loses at most about this much)")
	fs.intVar(&cfg.Rooms.SnapshotEvery, "snapshot-every", "HOMEROOM_SNAPSHOT_EVERY", 256, "changes after the cached join snapshot before it is re-saved")
	fs.intVar(&cfg.Activities.ChatHistory, "chat-history", "HOMEROOM_CHAT_HISTORY", 500, "recent chat messages a live session keeps in memory for joins and reconnects (older ones are in the store)")
	fs.floatVar(&cfg.Activities.Chat.StudentRate, "chat-rate", "HOMEROOM_CHAT_RATE", 1, "chat messages per second a student may send (burst --chat-burst)")
	fs.intVar(&cfg.Activities.Chat.StudentBurst, "chat-burst", "HOMEROOM_CHAT_BURST", 5, "burst of chat messages a student may send above --chat-rate")
	fs.floatVar(&cfg.Activities.VideoErrorThreshold, "video-error-threshold", "HOMEROOM_VIDEO_ERROR_THRESHOLD", 0.2, "share of a session's participants reporting video errors within a minute above which everyone is sent the fallback link")
	fs.durationVar(&cfg.Activities.Attendance.Grace, "attendance-grace", "HOMEROOM_ATTENDANCE_GRACE", 2*time.Minute, "reconnects within this gap count as one connection for attendance (docs/attendance.md)")
	fs.durationVar(&cfg.Activities.Attendance.LateAfter, "attendance-late-after", "HOMEROOM_ATTENDANCE_LATE_AFTER", 5*time.Minute, "a student first joining later than this after the scheduled start is late")
	fs.durationVar(&cfg.Activities.Attendance.LeftEarlyBefore, "attendance-left-early-before", "HOMEROOM_ATTENDANCE_LEFT_EARLY_BEFORE", 5*time.Minute, "a student last leaving earlier than this before the scheduled end left early")
	fs.floatVar(&cfg.Activities.Attendance.MinPresentShare, "attendance-min-present-share", "HOMEROOM_ATTENDANCE_MIN_PRESENT_SHARE", 0.25, "a student connected for less than this share of the session is absent")
	fs.durationVar(&cfg.ShutdownTimeout, "shutdown-timeout", "HOMEROOM_SHUTDOWN_TIMEOUT", gatewayDefault.Shutdown, "longest a graceful shutdown may take")
	fs.stringVar(&pprofAddr, "pprof-addr", "HOMEROOM_PPROF_ADDR", "", "serve Go's /debug/pprof on this separate address (empty = off; never expose it publicly)")
	fs.boolVar(&demo, "demo", "HOMEROOM_DEMO", false, "create a demo institution, course and live session with a teacher and three students, and print their join tokens (needs the development secret or --token-secret)")
	fs.stringVar(&logLevel, "log-level", "HOMEROOM_LOG_LEVEL", "info", "debug, info, warn or error")
	fs.stringVar(&logFormat, "log-format", "HOMEROOM_LOG_FORMAT", "text", "text or json")
	retention := addRetentionFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	cfg.MaxMessageBytes = int64(maxMsg)
	cfg.OriginPatterns = splitList(origins)

	log, err := newLogger(stderr, logLevel, logFormat)
	if err != nil {
		return err
	}
	if pprofAddr != "" {
		stop, err := servePprof(ctx, pprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	tokens, secret, err := newVerifier(tokenSecret, tokenPublicKey, dataDir, log)
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, databaseURL, dataDir, migrate, log)
	if err != nil {
		return err
	}
	// Closed last, after the server has saved every session.
	defer closeStore()
	stopRetention, err := startRetention(ctx, retention, st, log)
	if err != nil {
		return err
	}
	defer stopRetention() // before the store closes
	// Joins ask the catalog who may join; a storm asks it thousands of
	// times a minute, so admissions are cached and dropped on change.
	cat := catalog.NewCached(st, 0)
	defer cat.Close()
	srv, err := gateway.NewServer(cfg, gateway.Deps{Docs: st, Catalog: cat, Audit: st, Tokens: tokens, Pages: web.Handler()}, log)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "homeroom listening on http://%s (WebSocket ws://%s/ws)\n", srv.Addr(), srv.Addr())
	if demo {
		if secret == nil {
			return errors.New("--demo mints tokens: it needs the development secret or --token-secret, not only --token-public-key")
		}
		if err := seedDemo(ctx, cat, secret, srv.Addr(), stdout); err != nil {
			return err
		}
	}
	return srv.Serve(ctx)
}

// newVerifier builds the join-token verifier from the configured keys, or
// from the development secret in dataDir when none is configured.
// The HS256 secret in use is returned too (nil with only a public key), so
// the demo can mint tokens.
func newVerifier(secret, publicKeyFile, dataDir string, log *slog.Logger) (*identity.Verifier, []byte, error) {
	var cfg identity.VerifierConfig
	if secret != "" {
		cfg.HS256Secret = []byte(secret)
	}
	if publicKeyFile != "" {
		pem, err := os.ReadFile(publicKeyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("read --token-public-key: %w", err)
		}
		key, err := identity.ParseEdDSAPublicKeyPEM(pem)
		if err != nil {
			return nil, nil, fmt.Errorf("--token-public-key %s: %w", publicKeyFile, err)
		}
		cfg.EdDSAPublicKeys = append(cfg.EdDSAPublicKeys, key)
	}
	if secret == "" && publicKeyFile == "" {
		dev, err := identity.LoadOrCreateDevSecret(dataDir)
		if err != nil {
			return nil, nil, fmt.Errorf("development token secret: %w", err)
		}
		cfg.HS256Secret = dev
		log.Warn("verifying join tokens with the development secret; set --token-secret or --token-public-key in production",
			"file", filepath.Join(dataDir, identity.DevSecretFile))
	}
	v, err := identity.NewVerifier(cfg)
	return v, cfg.HS256Secret, err
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
