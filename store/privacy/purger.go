package privacy

import "context"

// UserPurger deletes or anonymises everything a store keeps about one
// user (docs/privacy.md lists what, table by table). Implementations are
// safe for concurrent use and pass storetest.RunPurge.
type UserPurger interface {
	// PurgeUser purges user, writing pseudonym wherever a row or a
	// document keeps a stand-in for them. It is idempotent: once done,
	// nothing names user any more, so a second run (with any pseudonym)
	// finds nothing. A run that fails part-way returns what it did so far
	// with the error; running it again finishes it.
	PurgeUser(ctx context.Context, user, pseudonym string) (PurgeReport, error)
	// PlanPurge reports what PurgeUser would touch now, changing nothing
	// (a dry run). Its report has DryRun set and no Pseudonym.
	PlanPurge(ctx context.Context, user string) (PurgeReport, error)
}

// SessionPurger deletes everything stored about sessions, for retention:
// their documents and pending changes, snapshots, chat, polls with their
// answers and results, attendance, events and audit entries. The
// sessions' catalog rows stay. Implementations are safe for concurrent
// use and pass storetest.RunPurgeSessions.
type SessionPurger interface {
	// PurgeSessions deletes the data of the sessions named. Sessions with
	// nothing stored are skipped; running it again deletes nothing more.
	PurgeSessions(ctx context.Context, sessions []string) (SessionReport, error)
}
