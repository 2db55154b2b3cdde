package gameday

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// Config describes one gameday run. Every zero field takes the default
// stated in its comment; only Secret is required.
type Config struct {
	// URL is the node's WebSocket endpoint, ws:// or wss://. When its path
	// is empty, "/ws" is appended. Default "ws://127.0.0.1:8080".
	URL string
	// Secret is the node's HS256 token secret (its --token-secret), at
	// least 32 bytes. The run mints every client's join token with it,
	// scoped to Session and valid for Duration + 10 minutes: the teacher's
	// (user "gameday-teacher", role teacher), the students' ("gameday-s0001"
	// and on, role student) and the convergence verifier's
	// ("gameday-verifier", role observer). Required.
	Secret []byte
	// AdminKey is the node's admin API key. When set, the run sets itself
	// up through the admin API before anyone joins (see [Run]): an
	// institution and a course derived from Session, the session itself
	// (live), and the enrollments of every user above. Default "": the
	// session must already exist and be live, and the users must be
	// enrolled in its course with those roles.
	AdminKey string
	// AdminURL is the base URL of the node's admin API, http:// or
	// https://. Default: derived from URL (http://host, or https:// for
	// wss://).
	AdminURL string
	// Scenario names the load shape: "lecture", "chat" or "poll" (see
	// [Scenarios] and doc.go). Default "lecture".
	Scenario string
	// Session is the live session to load. Default "gameday-" and 8 random
	// hex digits, so runs never share a document; such a session exists
	// only if the run creates it, with AdminKey.
	Session string
	// Students is how many students join. Default 100.
	Students int
	// Replicas is how many of the students keep a full Automerge replica
	// and take part in the convergence check; at most Students. Each costs
	// real Automerge work and memory (about 35 MB for a board of 2,000
	// strokes). Only the lecture scenario has replicas; chat and poll
	// leave the board alone. Default 10; negative for none.
	Replicas int
	// DrawRate is the teacher's changes per second while drawing.
	// Default 30.
	DrawRate float64
	// Duration is the length of the drawing phase (lecture) or of the
	// chatting phase (chat). Default 10s.
	Duration time.Duration
	// ChatRate is the chat scenario's messages per second across the
	// session, each from a random student that has not sent within the
	// last second (a node lets a student send 1 message per second, with
	// a burst of 5, unless configured otherwise), so it may not exceed
	// Students. Default 20.
	ChatRate float64
	// PollWindow is the poll scenario's answering window: every student
	// answers once, at a moment drawn uniformly within this long after the
	// teacher opened the poll (or as soon as the poll reaches it, if
	// later). Default 2s.
	PollWindow time.Duration
	// AnswerTimeout is how long a poll answer waits for its poll_ack
	// before it is sent again, with the same attempt_id (at most
	// maxAnswerAttempts sends). Default 2s.
	AnswerTimeout time.Duration
	// PreloadStrokes is how many strokes the teacher draws before the
	// students join, sent in batches. Default 0.
	PreloadStrokes int
	// Ramp spreads the students' joins evenly over this long; 0 starts them
	// all at once (bounded by DialConcurrency). Default 0.
	Ramp time.Duration
	// DialConcurrency bounds WebSocket handshakes in flight. Default 256.
	DialConcurrency int
	// DialTimeout bounds one WebSocket handshake. Default 10s.
	DialTimeout time.Duration
	// JoinTimeout bounds the time from a student's handshake to its synced
	// frame; a student that takes longer counts as not connected.
	// Default 30s.
	JoinTimeout time.Duration
	// QuietTimeout bounds the wait, after drawing or chatting, for every
	// student to receive every change or message and for the replicas to
	// converge; in a poll, the wait for the acknowledgements after the
	// window, and for the results after the close. Default 5s.
	QuietTimeout time.Duration
	// Settle is how long the server is left alone before each RSS
	// measurement. Default 1s.
	Settle time.Duration
	// MetricsURL is the node's Prometheus endpoint, sampled every 500ms
	// for process_resident_memory_bytes. Default: derived from URL
	// (http://host/metrics); "-" disables sampling.
	MetricsURL string
	// ServerPID, when set, is the node's process id on this machine; its
	// /proc/PID/status (VmRSS, VmHWM) is used instead of MetricsURL for
	// memory figures. VmHWM is the process's peak since it started, so the
	// peak covers one run only on a freshly started server. Default 0: not
	// used.
	ServerPID int

	// JSON asks the command for one JSON object on stdout. Run ignores it.
	// Default false.
	JSON bool
	// Strict asks the command to fail (exit 1) when the report shows a
	// failed join, an undelivered change or a replica that did not
	// converge ([Report.Check]). Run ignores it. Default false.
	Strict bool
}

// Defaults of the Config fields, for flag help texts.
const (
	DefaultURL             = "ws://127.0.0.1:8080"
	DefaultScenario        = "lecture"
	DefaultStudents        = 100
	DefaultReplicas        = 10
	DefaultDrawRate        = 30.0
	DefaultDuration        = 10 * time.Second
	DefaultChatRate        = 20.0
	DefaultPollWindow      = 2 * time.Second
	DefaultAnswerTimeout   = 2 * time.Second
	DefaultDialConcurrency = 256
	DefaultDialTimeout     = 10 * time.Second
	DefaultJoinTimeout     = 30 * time.Second
	DefaultQuietTimeout    = 5 * time.Second
	DefaultSettle          = time.Second
)

// withDefaults fills zero fields. It never fails; Validate reports what
// cannot work.
func (c Config) withDefaults() Config {
	if c.URL == "" {
		c.URL = DefaultURL
	}
	if c.Scenario == "" {
		c.Scenario = DefaultScenario
	}
	if c.Session == "" {
		c.Session = "gameday-" + randomHex(4)
	}
	if c.Students == 0 {
		c.Students = DefaultStudents
	}
	switch {
	case c.Replicas == 0:
		c.Replicas = DefaultReplicas
	case c.Replicas < 0:
		c.Replicas = 0
	}
	c.Replicas = min(c.Replicas, c.Students)
	if c.Scenario != "lecture" {
		c.Replicas = 0
	}
	if c.DrawRate == 0 {
		c.DrawRate = DefaultDrawRate
	}
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.ChatRate == 0 {
		c.ChatRate = DefaultChatRate
	}
	if c.PollWindow == 0 {
		c.PollWindow = DefaultPollWindow
	}
	if c.AnswerTimeout == 0 {
		c.AnswerTimeout = DefaultAnswerTimeout
	}
	if c.DialConcurrency == 0 {
		c.DialConcurrency = DefaultDialConcurrency
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.JoinTimeout == 0 {
		c.JoinTimeout = DefaultJoinTimeout
	}
	if c.QuietTimeout == 0 {
		c.QuietTimeout = DefaultQuietTimeout
	}
	if c.Settle == 0 {
		c.Settle = DefaultSettle
	}
	if c.MetricsURL == "" {
		if u, err := metricsURL(c.URL); err == nil {
			c.MetricsURL = u
		}
	}
	if c.AdminURL == "" {
		if u, err := baseURL(c.URL); err == nil {
			c.AdminURL = u
		}
	}
	return c
}

// tokenTTL is how long the run's join tokens are valid: the drawing phase
// and ten minutes for everything around it.
func (c Config) tokenTTL() time.Duration {
	return c.Duration + 10*time.Minute
}

// Validate reports a configuration that cannot work. Zero fields are
// valid: they take their defaults.
func (c Config) Validate() error {
	var errs []error
	if _, err := wsURL(c.withDefaults().URL); err != nil {
		errs = append(errs, err)
	}
	switch {
	case len(c.Secret) == 0:
		errs = append(errs, errors.New("secret is required: the node's HS256 token secret, to mint join tokens"))
	case len(c.Secret) < identity.MinSecretLen:
		errs = append(errs, fmt.Errorf("secret is %d bytes, want at least %d", len(c.Secret), identity.MinSecretLen))
	}
	if strings.ContainsAny(c.AdminKey, " \t\r\n") {
		errs = append(errs, errors.New("admin key must not contain whitespace"))
	}
	if c.AdminURL != "" {
		if u, err := url.Parse(c.AdminURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("admin url %q: want http:// or https:// and a host", c.AdminURL))
		}
	}
	if c.Scenario != "" {
		if _, ok := scenarios[c.Scenario]; !ok {
			errs = append(errs, fmt.Errorf("unknown scenario %q (want one of %s)", c.Scenario, strings.Join(Scenarios(), ", ")))
		}
	}
	if len(c.Session) > 128 {
		errs = append(errs, errors.New("session must be at most 128 bytes"))
	}
	if c.Students < 0 {
		errs = append(errs, errors.New("students must not be negative"))
	}
	if c.DrawRate < 0 || c.DrawRate > 10000 {
		errs = append(errs, fmt.Errorf("draw rate %g is not in 0-10000 changes/s", c.DrawRate))
	}
	if c.ChatRate < 0 || c.ChatRate > 10000 {
		errs = append(errs, fmt.Errorf("chat rate %g is not in 0-10000 messages/s", c.ChatRate))
	} else if d := c.withDefaults(); d.Scenario == "chat" && d.ChatRate > float64(d.Students) {
		errs = append(errs, fmt.Errorf("chat rate %g messages/s is more than %d students may send (1 message/s each)", d.ChatRate, d.Students))
	}
	if c.PreloadStrokes < 0 {
		errs = append(errs, errors.New("preload strokes must not be negative"))
	}
	if c.DialConcurrency < 0 {
		errs = append(errs, errors.New("dial concurrency must not be negative"))
	}
	if c.Duration < 0 || c.Ramp < 0 || c.DialTimeout < 0 || c.JoinTimeout < 0 || c.QuietTimeout < 0 || c.Settle < 0 ||
		c.PollWindow < 0 || c.AnswerTimeout < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if c.ServerPID < 0 {
		errs = append(errs, errors.New("server pid must not be negative"))
	}
	if c.MetricsURL != "" && c.MetricsURL != "-" {
		if u, err := url.Parse(c.MetricsURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, fmt.Errorf("metrics url %q: want http:// or https://", c.MetricsURL))
		}
	}
	return errors.Join(errs...)
}

// wsURL checks a WebSocket URL and appends /ws to an empty path.
func wsURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("url %q: %w", raw, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return "", fmt.Errorf("url %q: want ws:// or wss://", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("url %q: no host", raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}

// metricsURL derives the Prometheus endpoint of the node serving raw.
func metricsURL(raw string) (string, error) {
	base, err := baseURL(raw)
	if err != nil {
		return "", err
	}
	return base + "/metrics", nil
}

// baseURL derives the HTTP base URL (no path) of the node serving the
// WebSocket URL raw.
func baseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	scheme := "http"
	if u.Scheme == "wss" {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: u.Host}).String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
