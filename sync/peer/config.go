package peer

import (
	"errors"
	"time"
)

// Config bounds one peer's send queue and writes. The zero value is usable.
type Config struct {
	// QueueFrames is the most frames queued for one peer. Default 512.
	QueueFrames int
	// QueueBytes is the most bytes queued for one peer. Default 8 MiB.
	QueueBytes int
	// WriteTimeout bounds one WebSocket write. Default 10s.
	WriteTimeout time.Duration
	// MaxCoalesce bounds the size of one coalesced message. Default 1 MiB;
	// a single larger frame (a snapshot) is still written whole.
	MaxCoalesce int
}

func (c Config) withDefaults() Config {
	if c.QueueFrames == 0 {
		c.QueueFrames = 512
	}
	if c.QueueBytes == 0 {
		c.QueueBytes = 8 << 20
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.MaxCoalesce == 0 {
		c.MaxCoalesce = 1 << 20
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.QueueFrames < 0 || c.QueueBytes < 0 || c.WriteTimeout < 0 || c.MaxCoalesce < 0 {
		return errors.New("peer: negative limit")
	}
	return nil
}
