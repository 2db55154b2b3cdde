package client

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Config says where and as whom a client joins.
type Config struct {
	// URL is the server's WebSocket endpoint, e.g. ws://127.0.0.1:8080/ws.
	URL string
	// Session is the live session to join. Required.
	Session string
	// Token is the signed join token; it travels in the
	// Sec-WebSocket-Protocol list, never in the URL. Required.
	Token string
	// Name and User label the client's logs; the server takes identity
	// from the token.
	Name string
	User string
	// Header is sent with the WebSocket handshake (e.g. Origin).
	Header http.Header
	// ForceSync asks the server for the Automerge sync protocol on
	// reconnect instead of changes since the last server heads.
	ForceSync bool
	// BackoffBase is the first reconnect delay bound. Default 250ms.
	BackoffBase time.Duration
	// BackoffMax caps the reconnect delay. Default 10s.
	BackoffMax time.Duration
	// HeartbeatInterval is how often an idle client says it is alive.
	// Default 15s.
	HeartbeatInterval time.Duration
	// DialTimeout bounds one connection attempt. Default 10s.
	DialTimeout time.Duration
	// WriteTimeout bounds one write. Default 10s.
	WriteTimeout time.Duration
	// MaxMessageBytes bounds a message from the server. Default 256 MiB
	// (a snapshot of a large board is one message).
	MaxMessageBytes int64
	// Logger receives the client's logs. Default: discarded.
	Logger *slog.Logger
	// OnApp, if set, receives every app frame from the server (its type
	// and JSON payload), called with the client's lock held: it must not
	// call the client's methods. Copy payload to keep it.
	OnApp func(typ string, payload []byte)
}

func (c Config) withDefaults() Config {
	if c.BackoffBase == 0 {
		c.BackoffBase = 250 * time.Millisecond
	}
	if c.BackoffMax == 0 {
		c.BackoffMax = 10 * time.Second
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = 15 * time.Second
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = 10 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 256 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.URL == "":
		return errors.New("client: URL is required")
	case c.Session == "":
		return errors.New("client: Session is required")
	case c.Token == "":
		return errors.New("client: Token is required")
	case c.BackoffBase < 0 || c.BackoffMax < 0 || c.HeartbeatInterval < 0:
		return errors.New("client: negative duration")
	}
	return nil
}
