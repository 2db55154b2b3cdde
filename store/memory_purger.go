package store

import (
	"context"
	"errors"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// MemoryPurge purges a Memory and a catalog.Memory together, which between
// them hold what one durable store holds: documents, snapshots and
// activities in Store; enrollments, sessions and the audit log in Catalog.
// It is the memory implementation of the privacy interfaces; a Memory
// alone does not implement them, so that a half purge cannot pass for a
// whole one. Catalog may be nil (then only Store is purged).
type MemoryPurge struct {
	Store   *Memory
	Catalog *catalog.Memory
}

// PurgeUser implements privacy.UserPurger.
func (p MemoryPurge) PurgeUser(ctx context.Context, user, pseudonym string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, pseudonym); err != nil {
		return privacy.PurgeReport{}, err
	}
	rep, err := p.Store.purgeUser(user, pseudonym, false, p.open(ctx))
	return p.withCatalog(ctx, rep, err, user, pseudonym, false)
}

// PlanPurge implements privacy.UserPurger.
func (p MemoryPurge) PlanPurge(ctx context.Context, user string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, privacy.NewPseudonym()); err != nil {
		return privacy.PurgeReport{}, err
	}
	rep, err := p.Store.purgeUser(user, "", true, p.open(ctx))
	return p.withCatalog(ctx, rep, err, user, "", true)
}

func (p MemoryPurge) withCatalog(ctx context.Context, rep privacy.PurgeReport, err error, user, pseudonym string, dry bool) (privacy.PurgeReport, error) {
	if p.Catalog == nil {
		return rep, err
	}
	var cerr error
	rep.Enrollments, rep.Audit, cerr = p.Catalog.PurgeUser(ctx, user, pseudonym, rep.OpenSessions, dry)
	return rep, errors.Join(err, cerr)
}

// open reports whether a session is in the catalog and not ended.
func (p MemoryPurge) open(ctx context.Context) func(string) bool {
	return func(id string) bool {
		if p.Catalog == nil {
			return false
		}
		s, err := p.Catalog.GetSession(ctx, id)
		return err == nil && s.State != catalog.StateEnded
	}
}

// PurgeSessions implements privacy.SessionPurger.
func (p MemoryPurge) PurgeSessions(ctx context.Context, sessions []string) (privacy.SessionReport, error) {
	rep, had := p.Store.purgeSessions(sessions)
	if p.Catalog != nil {
		for _, s := range sessions {
			if entries, err := p.Catalog.List(ctx, catalog.AuditQuery{SessionID: s, Limit: 1}); err == nil && len(entries) > 0 {
				had[s] = true
			}
		}
		n, err := p.Catalog.PurgeSessionAudit(ctx, sessions)
		if err != nil {
			return rep, err
		}
		rep.Audit = n
	}
	rep.Sessions = len(had)
	return rep, nil
}

// Interface guards.
var (
	_ privacy.UserPurger    = MemoryPurge{}
	_ privacy.SessionPurger = MemoryPurge{}
)
