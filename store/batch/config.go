package batch

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config tunes a Writer or a Committer. The zero value is usable.
type Config struct {
	// Name identifies the queue in logs and in the metrics' writer label,
	// e.g. "chat" or "poll_answers"; names should be unique per process.
	// Default "batch".
	Name string
	// QueueSize bounds the items waiting to be written, not counting the
	// batch being written. Past it Add drops and Submit fails with
	// ErrQueueFull. Default 65536.
	QueueSize int
	// MaxBatch is the most items handed to one flush or commit. Default
	// 512.
	MaxBatch int
	// MinBackoff is the first retry's backoff ceiling after a failed
	// flush; it doubles with each failure up to MaxBackoff, and the wait is
	// drawn uniformly below it (full jitter). Default 100ms.
	MinBackoff time.Duration
	// MaxBackoff caps the backoff ceiling. Default 5s.
	MaxBackoff time.Duration
	// FlushTimeout bounds one call of the flush or commit function.
	// Default 10s.
	FlushTimeout time.Duration
	// RetryFor is how long a Committer retries a failing batch, from its
	// first attempt, before it fails the batch's items with ErrGaveUp.
	// Writers retry until Close gives up. Default 30s.
	RetryFor time.Duration
	// Logger receives queue-full, failure and recovery reports. Default
	// slog.Default().
	Logger *slog.Logger
	// Metrics receive the queue's instruments under the writer label
	// Name. Default nil: none.
	Metrics *Metrics
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = "batch"
	}
	if c.QueueSize == 0 {
		c.QueueSize = 65536
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = 512
	}
	if c.MinBackoff == 0 {
		c.MinBackoff = 100 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 5 * time.Second
	}
	if c.FlushTimeout == 0 {
		c.FlushTimeout = 10 * time.Second
	}
	if c.RetryFor == 0 {
		c.RetryFor = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports a configuration that cannot work. Zero fields take
// their defaults and are valid.
func (c Config) Validate() error {
	if c.QueueSize < 0 || c.MaxBatch < 0 {
		return errors.New("batch: negative queue or batch size")
	}
	if c.MinBackoff < 0 || c.MaxBackoff < 0 || c.FlushTimeout < 0 || c.RetryFor < 0 {
		return errors.New("batch: negative duration")
	}
	d := c.withDefaults()
	if d.MinBackoff > d.MaxBackoff {
		return fmt.Errorf("batch: MinBackoff %v above MaxBackoff %v", d.MinBackoff, d.MaxBackoff)
	}
	return nil
}
