package gateway

import (
	"errors"
	"time"

	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/admin"
	"github.com/homeroom-edu/homeroom/sync/peer"
)

// Config configures the WebSocket gateway and its HTTP server. The zero
// value is usable.
type Config struct {
	// Addr is the listen address. Default "127.0.0.1:8080".
	Addr string
	// MaxMessageBytes is the largest WebSocket message read from a client;
	// larger ones close the connection with 1009. Default 1 MiB.
	MaxMessageBytes int64
	// MaxFramesPerMessage bounds the frames in one client message. Default 64.
	MaxFramesPerMessage int
	// RatePerSecond is each student's or observer's sustained message
	// rate per connection. Default 50.
	RatePerSecond float64
	// Burst is a student's or observer's burst of messages. Default 100.
	Burst int
	// StaffRatePerSecond is the message rate of teachers and moderators,
	// who draw for the whole class and moderate. Default 200.
	StaffRatePerSecond float64
	// StaffBurst is teachers' and moderators' burst. Default 400.
	StaffBurst int
	// FloodStrikes is how many rate-limited messages within FloodWindow
	// close the connection with 4029. Default 50.
	FloodStrikes int
	// FloodWindow is the window for FloodStrikes. Default 10s.
	FloodWindow time.Duration
	// HelloTimeout is how long a new socket may take to send hello.
	// Default 10s.
	HelloTimeout time.Duration
	// IdleTimeout closes a connection that sent nothing (not even a
	// heartbeat) for this long, with 4004. Default 60s.
	IdleTimeout time.Duration
	// MaxConnections caps open WebSockets on this node; beyond it upgrades
	// get HTTP 503 with Retry-After. Default 10,000.
	MaxConnections int
	// OriginPatterns lists browser origins allowed to connect (host
	// patterns as in coder/websocket). Empty: same host only. Requests
	// without an Origin header (native clients) are always allowed.
	OriginPatterns []string
	// AdminKey authenticates the admin API under /admin/ (Bearer token).
	// Empty: the admin API answers 404. Default empty.
	AdminKey string
	// ShutdownTimeout bounds a graceful shutdown. Default 15s.
	ShutdownTimeout time.Duration
	// Peer bounds each connection's send queue.
	Peer peer.Config
	// Rooms tunes live sessions.
	Rooms rooms.Config
	// Activities tunes chat, polls, attendance and video; they are on
	// whenever Deps.Docs also keeps activities (every durable store does).
	Activities rooms.ActivityConfig
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 1 << 20
	}
	if c.MaxFramesPerMessage == 0 {
		c.MaxFramesPerMessage = 64
	}
	if c.RatePerSecond == 0 {
		c.RatePerSecond = 50
	}
	if c.Burst == 0 {
		c.Burst = 100
	}
	if c.StaffRatePerSecond == 0 {
		c.StaffRatePerSecond = 200
	}
	if c.StaffBurst == 0 {
		c.StaffBurst = 400
	}
	if c.FloodStrikes == 0 {
		c.FloodStrikes = 50
	}
	if c.FloodWindow == 0 {
		c.FloodWindow = 10 * time.Second
	}
	if c.HelloTimeout == 0 {
		c.HelloTimeout = 10 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = 10000
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.MaxMessageBytes < 0 || c.MaxFramesPerMessage < 0 || c.Burst < 0 || c.FloodStrikes < 0 || c.MaxConnections < 0 {
		return errors.New("gateway: negative limit")
	}
	if c.RatePerSecond < 0 {
		return errors.New("gateway: negative rate")
	}
	if c.AdminKey != "" {
		if err := (admin.Config{APIKey: c.AdminKey}).Validate(); err != nil {
			return err
		}
	}
	if err := c.Activities.Validate(); err != nil {
		return err
	}
	if err := c.Peer.Validate(); err != nil {
		return err
	}
	return c.Rooms.Validate()
}
