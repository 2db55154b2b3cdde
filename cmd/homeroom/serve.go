package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/gateway"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg gateway.Config
	var origins, logLevel, logFormat, pprofAddr string
	fs := newFlagSet("serve", "Run a Homeroom node: WebSocket endpoint /ws (subprotocol homeroom.v1),\n"+
		"GET /healthz, GET /readyz and Prometheus GET /metrics. Sessions load on first\n"+
		"join and unload when idle. SIGINT/SIGTERM shut down gracefully: clients are told\n"+
		"to reconnect (close 1012) and every session is saved.", stderr)
	fs.stringVar(&cfg.Addr, "addr", "HOMEROOM_ADDR", "127.0.0.1:8080", "listen address")
	fs.stringVar(&origins, "allowed-origins", "HOMEROOM_ALLOWED_ORIGINS", "", "comma-separated browser origins (host patterns) allowed to connect; empty = same host only; clients without Origin are always allowed")
	fs.intVar(&cfg.MaxConnections, "max-connections", "HOMEROOM_MAX_CONNECTIONS", 10000, "open WebSockets on this node before upgrades get 503 + Retry-After")
	fs.intVar(&cfg.Rooms.MaxParticipants, "max-participants", "HOMEROOM_MAX_PARTICIPANTS", 0, "members of one session before joins are refused with 4013 (0 = no cap)")
	var maxMsg int
	fs.intVar(&maxMsg, "max-message-bytes", "HOMEROOM_MAX_MESSAGE_BYTES", 1<<20, "largest WebSocket message accepted from a client (larger: close 1009)")
	fs.floatVar(&cfg.RatePerSecond, "rate", "HOMEROOM_RATE", 50, "messages per second each connection may send (token bucket)")
	fs.intVar(&cfg.Burst, "burst", "HOMEROOM_BURST", 100, "burst of messages each connection may send above the rate")
	fs.intVar(&cfg.Peer.QueueFrames, "send-queue-frames", "HOMEROOM_SEND_QUEUE_FRAMES", 512, "frames queued for one client before it is a slow consumer (presence dropped first, then close 4008)")
	fs.intVar(&cfg.Peer.QueueBytes, "send-queue-bytes", "HOMEROOM_SEND_QUEUE_BYTES", 8<<20, "bytes queued for one client before it is a slow consumer")
	fs.durationVar(&cfg.Peer.WriteTimeout, "write-timeout", "HOMEROOM_WRITE_TIMEOUT", gatewayDefault.WriteTimeout, "timeout of one WebSocket write")
	fs.durationVar(&cfg.IdleTimeout, "idle-timeout", "HOMEROOM_IDLE_TIMEOUT", gatewayDefault.IdleTimeout, "close a connection silent this long (clients heartbeat every 15s)")
	fs.durationVar(&cfg.Rooms.IdleTimeout, "session-idle-timeout", "HOMEROOM_SESSION_IDLE_TIMEOUT", gatewayDefault.SessionIdle, "unload a session this long after its last member left")
	fs.durationVar(&cfg.Rooms.RosterInterval, "roster-interval", "HOMEROOM_ROSTER_INTERVAL", gatewayDefault.Roster, "batch server-written presence roster changes this long")
	fs.intVar(&cfg.Rooms.SnapshotEvery, "snapshot-every", "HOMEROOM_SNAPSHOT_EVERY", 256, "changes after the cached join snapshot before it is re-saved")
	fs.durationVar(&cfg.ShutdownTimeout, "shutdown-timeout", "HOMEROOM_SHUTDOWN_TIMEOUT", gatewayDefault.Shutdown, "longest a graceful shutdown may take")
	fs.stringVar(&pprofAddr, "pprof-addr", "HOMEROOM_PPROF_ADDR", "", "serve Go's /debug/pprof on this separate address (empty = off; never expose it publicly)")
	fs.stringVar(&logLevel, "log-level", "HOMEROOM_LOG_LEVEL", "info", "debug, info, warn or error")
	fs.stringVar(&logFormat, "log-format", "HOMEROOM_LOG_FORMAT", "text", "text or json")
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
	srv, err := gateway.NewServer(cfg, store.NewMemory(), log)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "homeroom listening on http://%s (WebSocket ws://%s/ws)\n", srv.Addr(), srv.Addr())
	return srv.Serve(ctx)
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
