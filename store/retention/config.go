package retention

import (
	"errors"
	"time"
)

// DefaultDays is how long data is kept when neither the institution nor
// the server says otherwise.
const DefaultDays = 365

// Config tunes a Job. The zero value is usable.
type Config struct {
	// DefaultDays is how many days the data of an institution's ended
	// sessions is kept when the institution sets no retention_days (0).
	// Default 0: DefaultDays (365). Negative: such institutions' data is
	// kept forever (an institution's own retention_days still applies).
	DefaultDays int
	// Interval is the time between sweeps; the first runs when Run
	// starts. Default 24h.
	Interval time.Duration
	// BatchSize is how many sessions one store call purges. Default 500.
	BatchSize int
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.DefaultDays == 0 {
		c.DefaultDays = DefaultDays
	}
	if c.Interval <= 0 {
		c.Interval = 24 * time.Hour
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate reports a configuration that cannot work: a negative interval
// or batch size.
func (c Config) Validate() error {
	if c.Interval < 0 {
		return errors.New("retention: negative Interval")
	}
	if c.BatchSize < 0 {
		return errors.New("retention: negative BatchSize")
	}
	return nil
}
