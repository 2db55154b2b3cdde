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
	var secret string
	fs := newFlagSet("gameday", "Simulate a class against a running node over homeroom.v1 and report what the\n"+
		"students saw. Progress goes to stderr about once a second. Scenarios:\n"+
		"  lecture  the teacher draws at --draw-rate for --duration: join time, delivery\n"+
		"           ratio and latency of the teacher's changes, replica convergence\n"+
		"  chat     random students chat at --chat-rate for --duration (at most one\n"+
		"           message per student per second, the server's limit): each message's\n"+
		"           delivery latency to every student, messages missed, duplicated or\n"+
		"           out of order\n"+
		"  poll     the teacher opens a 4-option poll, every student answers once within\n"+
		"           --poll-window (retrying until acknowledged), the teacher closes it and\n"+
		"           publishes the results: poll_started, poll_ack and poll_results\n"+
		"           latencies, answers sent, acknowledged and stored (counted through the\n"+
		"           admin API, so it needs --admin-key)\n"+
		"Every scenario reports server memory, closes and error frames by code.\n\n"+
		"Every client joins with a join token signed with --secret (the node's\n"+
		"--token-secret), scoped to the session and valid for --duration + 10m, as:\n"+
		"  gameday-teacher                   role teacher\n"+
		"  gameday-s0001 ... gameday-sNNNN   role student (one per --students)\n"+
		"  gameday-verifier                  role observer (the convergence check)\n"+
		"With --admin-key the tool first sets the run up through the node's admin API:\n"+
		"an institution and a course derived from the session id (<session>.inst,\n"+
		"<session>.course; reused if they exist), the session itself, live (an\n"+
		"existing one is reused, and started if scheduled), and the enrollments of\n"+
		"all the users above in the session's course, in bulk requests of 1,000.\n"+
		"Without --admin-key that must all exist already: pass the --session of a live\n"+
		"session whose course has these users enrolled with these roles.\n"+
		"A wrong secret shows as connect_success_rate 0 and close code 4005 in closes;\n"+
		"users that are not enrolled as 4003.", stderr)
	fs.stringVar(&cfg.URL, "url", "HOMEROOM_GAMEDAY_URL", gameday.DefaultURL, "WebSocket URL of the node; /ws is appended when the path is empty")
	fs.stringVar(&secret, "secret", "HOMEROOM_GAMEDAY_SECRET", "", "the node's HS256 token secret (its --token-secret, at least 32 bytes) to mint every client's join token; required. Prefer the environment variable: a flag shows in ps")
	fs.stringVar(&cfg.AdminKey, "admin-key", "HOMEROOM_GAMEDAY_ADMIN_KEY", "", "the node's admin API key: set up the institution, course, session and enrollments of the run before joining (default: none; the session and enrollments must exist). Prefer the environment variable")
	fs.stringVar(&cfg.AdminURL, "admin-url", "HOMEROOM_GAMEDAY_ADMIN_URL", "", "base URL of the node's admin API, for --admin-key (default: http://<host of --url>, https:// for wss://)")
	fs.stringVar(&cfg.Scenario, "scenario", "HOMEROOM_GAMEDAY_SCENARIO", gameday.DefaultScenario, "load shape: "+strings.Join(gameday.Scenarios(), ", "))
	fs.stringVar(&cfg.Session, "session", "HOMEROOM_GAMEDAY_SESSION", "", "session to load; without --admin-key it must exist and be live (default: a fresh gameday-<random> per run, which needs --admin-key)")
	fs.intVar(&cfg.Students, "students", "HOMEROOM_GAMEDAY_STUDENTS", gameday.DefaultStudents, "students that join")
	fs.intVar(&cfg.Replicas, "replicas", "HOMEROOM_GAMEDAY_REPLICAS", gameday.DefaultReplicas, "lecture: students that keep a full Automerge replica and must converge (0 = none)")
	fs.floatVar(&cfg.DrawRate, "draw-rate", "HOMEROOM_GAMEDAY_DRAW_RATE", gameday.DefaultDrawRate, "lecture: teacher changes per second while drawing")
	fs.durationVar(&cfg.Duration, "duration", "HOMEROOM_GAMEDAY_DURATION", gameday.DefaultDuration, "length of the drawing (lecture) or chatting (chat) phase")
	fs.floatVar(&cfg.ChatRate, "chat-rate", "HOMEROOM_GAMEDAY_CHAT_RATE", gameday.DefaultChatRate, "chat: messages per second across the session, each from a random student that has not sent within the last second (a node's default limit, serve --chat-rate 1 --chat-burst 5), so at most --students")
	fs.durationVar(&cfg.PollWindow, "poll-window", "HOMEROOM_GAMEDAY_POLL_WINDOW", gameday.DefaultPollWindow, "poll: every student answers once at a random moment within this long after the teacher opened the poll")
	fs.durationVar(&cfg.AnswerTimeout, "answer-timeout", "HOMEROOM_GAMEDAY_ANSWER_TIMEOUT", gameday.DefaultAnswerTimeout, "poll: send an answer again, with the same attempt_id, when no poll_ack came within this long (at most 5 sends; a temporary error frame retries sooner)")
	fs.intVar(&cfg.PreloadStrokes, "preload-strokes", "HOMEROOM_GAMEDAY_PRELOAD_STROKES", 0, "strokes the teacher puts on the board before students join, many changes per frame (default 0: none)")
	fs.durationVar(&cfg.Ramp, "ramp", "HOMEROOM_GAMEDAY_RAMP", 0, "spread student joins evenly over this long (default 0: all at once, bounded by --dial-concurrency)")
	fs.intVar(&cfg.DialConcurrency, "dial-concurrency", "HOMEROOM_GAMEDAY_DIAL_CONCURRENCY", gameday.DefaultDialConcurrency, "WebSocket handshakes in flight at once")
	fs.durationVar(&cfg.DialTimeout, "dial-timeout", "HOMEROOM_GAMEDAY_DIAL_TIMEOUT", gameday.DefaultDialTimeout, "timeout of one WebSocket handshake")
	fs.durationVar(&cfg.JoinTimeout, "join-timeout", "HOMEROOM_GAMEDAY_JOIN_TIMEOUT", gameday.DefaultJoinTimeout, "longest from handshake to synced before a student counts as not joined")
	fs.durationVar(&cfg.QuietTimeout, "quiet-timeout", "HOMEROOM_GAMEDAY_QUIET_TIMEOUT", gameday.DefaultQuietTimeout, "longest wait after drawing or chatting for deliveries and replica convergence; in a poll, for the acknowledgements after the window and for the results after the close")
	fs.durationVar(&cfg.Settle, "settle", "HOMEROOM_GAMEDAY_SETTLE", gameday.DefaultSettle, "pause before each server memory measurement")
	fs.stringVar(&cfg.MetricsURL, "metrics-url", "HOMEROOM_GAMEDAY_METRICS_URL", "", "Prometheus endpoint sampled every 500ms for server RSS (default: http://<host of --url>/metrics; \"-\" = off)")
	fs.intVar(&cfg.ServerPID, "server-pid", "HOMEROOM_GAMEDAY_SERVER_PID", 0, "pid of a local server: read RSS and peak RSS (VmHWM, since the server started) from /proc/PID/status instead of --metrics-url (default 0: off)")
	fs.boolVar(&cfg.JSON, "json", "HOMEROOM_GAMEDAY_JSON", false, "print the report as one JSON object on stdout (default false: a readable summary)")
	fs.boolVar(&cfg.Strict, "strict", "HOMEROOM_GAMEDAY_STRICT", false, "exit 1 unless every student joined and the scenario ran clean: every change received and every replica converged (lecture); every message delivered once, in order (chat); every answer acknowledged and stored, the results received by all (poll) (default false: exit 0 with the report)")
	if err := fs.parse(args); err != nil {
		return err
	}
	cfg.Secret = []byte(secret)
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
	case len(cfg.Secret) == 0:
		return fmt.Errorf("--secret (or HOMEROOM_GAMEDAY_SECRET) is required: the node's token secret")
	case cfg.AdminKey == "" && cfg.Session == "":
		return fmt.Errorf("--session is required without --admin-key: the tool can only create a session through the admin API")
	case cfg.Students < 1:
		return fmt.Errorf("--students must be at least 1")
	case cfg.DrawRate <= 0:
		return fmt.Errorf("--draw-rate must be positive")
	case cfg.ChatRate <= 0:
		return fmt.Errorf("--chat-rate must be positive")
	case cfg.PollWindow <= 0:
		return fmt.Errorf("--poll-window must be positive")
	case cfg.AnswerTimeout <= 0:
		return fmt.Errorf("--answer-timeout must be positive")
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
