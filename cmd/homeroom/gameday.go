package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/homeroom-edu/homeroom/cmd/homeroom/gameday"
)

func runGameday(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg gameday.Config
	fs := newFlagSet("gameday", "Simulate a class against a running node over homeroom.v1 and report what the\n"+
		"students saw: join time, delivery ratio and latency of the teacher's changes,\n"+
		"replica convergence, server memory. Progress goes to stderr about once a second.\n"+
		"Scenarios: "+strings.Join(gameday.Scenarios(), ", ")+".", stderr)
	fs.stringVar(&cfg.URL, "url", "HOMEROOM_GAMEDAY_URL", gameday.DefaultURL, "WebSocket URL of the node; /ws is appended when the path is empty")
	fs.stringVar(&cfg.Scenario, "scenario", "HOMEROOM_GAMEDAY_SCENARIO", gameday.DefaultScenario, "load shape: "+strings.Join(gameday.Scenarios(), ", "))
	fs.stringVar(&cfg.Session, "session", "HOMEROOM_GAMEDAY_SESSION", "", "session to load (default: a fresh gameday-<random> per run)")
	fs.intVar(&cfg.Students, "students", "HOMEROOM_GAMEDAY_STUDENTS", gameday.DefaultStudents, "students that join")
	fs.intVar(&cfg.Replicas, "replicas", "HOMEROOM_GAMEDAY_REPLICAS", gameday.DefaultReplicas, "students that keep a full Automerge replica and must converge (0 = none)")
	fs.floatVar(&cfg.DrawRate, "draw-rate", "HOMEROOM_GAMEDAY_DRAW_RATE", gameday.DefaultDrawRate, "teacher changes per second while drawing")
	fs.durationVar(&cfg.Duration, "duration", "HOMEROOM_GAMEDAY_DURATION", gameday.DefaultDuration, "length of the drawing phase")
	fs.intVar(&cfg.PreloadStrokes, "preload-strokes", "HOMEROOM_GAMEDAY_PRELOAD_STROKES", 0, "strokes the teacher puts on the board before students join, many changes per frame (default 0: none)")
	fs.durationVar(&cfg.Ramp, "ramp", "HOMEROOM_GAMEDAY_RAMP", 0, "spread student joins evenly over this long (default 0: all at once, bounded by --dial-concurrency)")
	fs.intVar(&cfg.DialConcurrency, "dial-concurrency", "HOMEROOM_GAMEDAY_DIAL_CONCURRENCY", gameday.DefaultDialConcurrency, "WebSocket handshakes in flight at once")
	fs.durationVar(&cfg.DialTimeout, "dial-timeout", "HOMEROOM_GAMEDAY_DIAL_TIMEOUT", gameday.DefaultDialTimeout, "timeout of one WebSocket handshake")
	fs.durationVar(&cfg.JoinTimeout, "join-timeout", "HOMEROOM_GAMEDAY_JOIN_TIMEOUT", gameday.DefaultJoinTimeout, "longest from handshake to synced before a student counts as not joined")
	fs.durationVar(&cfg.QuietTimeout, "quiet-timeout", "HOMEROOM_GAMEDAY_QUIET_TIMEOUT", gameday.DefaultQuietTimeout, "longest wait after drawing for deliveries and replica convergence")
	fs.durationVar(&cfg.Settle, "settle", "HOMEROOM_GAMEDAY_SETTLE", gameday.DefaultSettle, "pause before each server memory measurement")
	fs.stringVar(&cfg.MetricsURL, "metrics-url", "HOMEROOM_GAMEDAY_METRICS_URL", "", "Prometheus endpoint sampled every 500ms for server RSS (default: http://<host of --url>/metrics; \"-\" = off)")
	fs.intVar(&cfg.ServerPID, "server-pid", "HOMEROOM_GAMEDAY_SERVER_PID", 0, "pid of a local server: read RSS and peak RSS (VmHWM, since the server started) from /proc/PID/status instead of --metrics-url (default 0: off)")
	fs.boolVar(&cfg.JSON, "json", "HOMEROOM_GAMEDAY_JSON", false, "print the report as one JSON object on stdout (default false: a readable summary)")
	fs.boolVar(&cfg.Strict, "strict", "HOMEROOM_GAMEDAY_STRICT", false, "exit 1 unless every student joined, received every change and every replica converged (default false: exit 0 with the report)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := gamedayFlags(&cfg); err != nil {
		fmt.Fprintf(stderr, "homeroom gameday: %v\n", err)
		return errUsage
	}

	rep, runErr := gameday.Run(ctx, cfg, stderr)
	if err := printReport(stdout, rep, cfg.JSON); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if cfg.Strict {
		if err := rep.Check(); err != nil {
			return fmt.Errorf("strict: %w", err)
		}
	}
	return nil
}

// gamedayFlags checks flag values whose zero would silently mean a default
// in gameday.Config, and maps --replicas 0 to "none".
func gamedayFlags(cfg *gameday.Config) error {
	switch {
	case cfg.Students < 1:
		return fmt.Errorf("--students must be at least 1")
	case cfg.DrawRate <= 0:
		return fmt.Errorf("--draw-rate must be positive")
	case cfg.Duration <= 0:
		return fmt.Errorf("--duration must be positive")
	case cfg.DialConcurrency < 1:
		return fmt.Errorf("--dial-concurrency must be at least 1")
	case cfg.Replicas < 0:
		return fmt.Errorf("--replicas must not be negative")
	}
	if cfg.Replicas == 0 {
		cfg.Replicas = -1
	}
	return cfg.Validate()
}

func printReport(w io.Writer, rep gameday.Report, asJSON bool) error {
	if !asJSON {
		return rep.WriteText(w)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
