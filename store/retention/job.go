package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// Actor is the ActorID of the audit entries a Job records; their
// ActorRole is "system" and their Action ActionPurge.
const (
	Actor       = "retention"
	ActionPurge = "retention.purge"
)

// Job deletes the data of expired sessions. Create it with New; it is
// safe to call Sweep concurrently with Run, though there is no need to.
type Job struct {
	cfg   Config
	cat   catalog.Catalog
	store privacy.SessionPurger
	audit catalog.AuditLog
	log   *slog.Logger
}

// New returns a Job over a catalog (the institutions, courses and
// sessions), the store that keeps the sessions' data and an audit log
// (nil: nothing is recorded). log may be nil. New has no side effects;
// call cfg.Validate first.
func New(cfg Config, cat catalog.Catalog, st privacy.SessionPurger, audit catalog.AuditLog, log *slog.Logger) *Job {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Job{cfg: cfg.withDefaults(), cat: cat, store: st, audit: audit, log: log}
}

// Report is what one sweep did.
type Report struct {
	// Institutions swept (those whose data is kept forever are not).
	Institutions int `json:"institutions"`
	// Expired sessions, whether or not they still had data.
	Expired int `json:"expired"`
	// Stale sessions would have expired but never ended (scheduled or
	// live); their data is kept until someone ends them.
	Stale int `json:"stale"`
	// Purged counts what was deleted; Purged.Sessions the expired
	// sessions that still had data.
	Purged privacy.SessionReport `json:"purged"`
}

// Run sweeps at once and then every Config.Interval until ctx ends. A
// failed sweep is logged and the next one tries again.
func (j *Job) Run(ctx context.Context) {
	tick := time.NewTicker(j.cfg.Interval)
	defer tick.Stop()
	for {
		start := time.Now()
		j.log.Info("retention sweep started", "default_days", j.cfg.DefaultDays)
		rep, err := j.Sweep(ctx, j.cfg.Now())
		attrs := []any{"institutions", rep.Institutions, "expired", rep.Expired, "stale", rep.Stale, "sessions", rep.Purged.Sessions,
			"rows", rep.Purged.Rows(), "took", time.Since(start).Round(time.Millisecond)}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			j.log.Error("retention sweep failed; the next one retries", append(attrs, "err", err)...)
		default:
			j.log.Info("retention sweep finished", attrs...)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Sweep purges, for every institution, the data of the sessions that
// ended more than its retention before now. Only ended sessions expire;
// one counts as ended at the later of its scheduled end and its last
// change in the catalog (its state becoming ended is such a change), so a
// session that ran late is kept from its real end. Sessions that never
// ended are kept, counted as Stale and logged. A failure with one
// institution is reported and the others are still swept.
func (j *Job) Sweep(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	var errs []error
	err := pages(func(p catalog.Page) ([]catalog.Institution, error) { return j.cat.ListInstitutions(ctx, p) },
		func(in catalog.Institution) string { return in.ID },
		func(in catalog.Institution) error {
			days := in.RetentionDays
			if days == 0 {
				days = j.cfg.DefaultDays
			}
			if days < 0 {
				return nil // kept forever
			}
			rep.Institutions++
			r, err := j.sweepInstitution(ctx, in.ID, days, now)
			rep.Expired += r.Expired
			rep.Stale += r.Stale
			rep.Purged.Add(r.Purged)
			if err != nil {
				errs = append(errs, err)
			}
			return ctx.Err()
		})
	if err != nil {
		errs = append(errs, fmt.Errorf("list institutions: %w", err))
	}
	return rep, errors.Join(errs...)
}

// sweepInstitution purges the expired sessions of one institution.
func (j *Job) sweepInstitution(ctx context.Context, inst string, days int, now time.Time) (Report, error) {
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	var rep Report
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		r, err := j.store.PurgeSessions(ctx, batch)
		rep.Purged.Add(r)
		batch = batch[:0]
		return err
	}
	err := pages(func(p catalog.Page) ([]catalog.Course, error) { return j.cat.ListCourses(ctx, inst, p) },
		func(c catalog.Course) string { return c.ID },
		func(c catalog.Course) error {
			return pages(func(p catalog.Page) ([]catalog.Session, error) { return j.cat.ListSessions(ctx, c.ID, p) },
				func(s catalog.Session) string { return s.ID },
				func(s catalog.Session) error {
					if !Expired(s, cutoff) {
						if s.State != catalog.StateEnded && s.EndsAt.Before(cutoff) && s.UpdatedAt.Before(cutoff) {
							rep.Stale++
						}
						return nil
					}
					rep.Expired++
					if batch = append(batch, s.ID); len(batch) >= j.cfg.BatchSize {
						return flush()
					}
					return nil
				})
		})
	if err == nil {
		err = flush()
	}
	attrs := []any{"institution", inst, "days", days, "before", cutoff.UTC().Format(time.RFC3339),
		"expired", rep.Expired, "sessions", rep.Purged.Sessions, "rows", rep.Purged.Rows()}
	if rep.Stale > 0 {
		j.log.Warn("retention keeps sessions that never ended; end them to let their data expire",
			"institution", inst, "stale", rep.Stale, "before", cutoff.UTC().Format(time.RFC3339))
	}
	if rep.Purged.Sessions > 0 {
		j.log.Info("retention purged expired sessions", append(attrs, "deleted", rep.Purged.String())...)
		j.record(ctx, inst, days, cutoff, rep.Purged)
	} else {
		j.log.Debug("retention found nothing to purge", attrs...)
	}
	if err != nil {
		return rep, fmt.Errorf("retention of institution %q: %w", inst, err)
	}
	return rep, nil
}

// Expired reports whether session s ended before cutoff: it is ended, and
// both its scheduled end and its last change in the catalog are before
// cutoff.
func Expired(s catalog.Session, cutoff time.Time) bool {
	return s.State == catalog.StateEnded && s.EndsAt.Before(cutoff) && s.UpdatedAt.Before(cutoff)
}

// record writes the audit entry of a purge; a failure is logged.
func (j *Job) record(ctx context.Context, inst string, days int, cutoff time.Time, r privacy.SessionReport) {
	if j.audit == nil {
		return
	}
	err := j.audit.Record(context.WithoutCancel(ctx), catalog.AuditEntry{
		ActorID: Actor, ActorRole: "system", Action: ActionPurge, TargetID: inst,
		Detail: fmt.Sprintf("days=%d before=%s %s", days, cutoff.UTC().Format(time.RFC3339), r),
	})
	if err != nil {
		j.log.Error("failed to record retention audit entry", "institution", inst, "err", err)
	}
}

// pages calls each for every record of a paged catalog list, in pages of
// 1000, stopping at the first error.
func pages[T any](list func(catalog.Page) ([]T, error), id func(T) string, each func(T) error) error {
	p := catalog.Page{Limit: 1000}
	for {
		items, err := list(p)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := each(it); err != nil {
				return err
			}
		}
		if len(items) < p.Limit {
			return nil
		}
		p.After = id(items[len(items)-1])
	}
}
