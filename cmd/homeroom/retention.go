package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/homeroom-edu/homeroom/store/privacy"
	"github.com/homeroom-edu/homeroom/store/retention"
)

// retentionFlags are serve's flags of the retention job.
type retentionFlags struct {
	days     int
	interval time.Duration
}

func addRetentionFlags(fs *flagSet) *retentionFlags {
	f := &retentionFlags{}
	fs.intVar(&f.days, "retention-days", "HOMEROOM_RETENTION_DAYS", retention.DefaultDays,
		"days the data of ended sessions is kept for institutions whose retention_days is 0; 0 or less: such institutions keep it forever (docs/privacy.md)")
	fs.durationVar(&f.interval, "retention-interval", "HOMEROOM_RETENTION_INTERVAL", 24*time.Hour,
		"how often the retention job deletes expired sessions' data (also once at start); 0 turns the job off")
	return f
}

// startRetention runs the retention job over st in the background until
// ctx ends or stop is called; stop waits for it. With an interval of 0,
// or a store that cannot purge sessions, nothing runs.
func startRetention(ctx context.Context, f *retentionFlags, st durable, log *slog.Logger) (stop func(), err error) {
	if f.interval < 0 {
		return nil, fmt.Errorf("--retention-interval %v: must not be negative", f.interval)
	}
	purger, ok := st.(privacy.SessionPurger)
	if f.interval == 0 || !ok {
		log.Warn("retention job off: expired sessions' data is kept", "interval", f.interval, "store_can_purge", ok)
		return func() {}, nil
	}
	cfg := retention.Config{DefaultDays: f.days, Interval: f.interval}
	if f.days <= 0 {
		cfg.DefaultDays = -1 // forever
	}
	job := retention.New(cfg, st, purger, st, log.With("component", "retention"))
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		job.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}, nil
}
