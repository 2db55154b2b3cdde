package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeUser implements privacy.UserPurger as store/internal/sqlpurge
// orders it: documents one transaction per session, then snapshots,
// activities and catalog. Errors name no user.
func (s *Store) PurgeUser(ctx context.Context, user, pseudonym string) (privacy.PurgeReport, error) {
	return sqlpurge.PurgeUser(ctx, purgeDB{s}, user, pseudonym)
}

// PlanPurge implements privacy.UserPurger: the same transactions, rolled
// back.
func (s *Store) PlanPurge(ctx context.Context, user string) (privacy.PurgeReport, error) {
	return sqlpurge.PlanPurge(ctx, purgeDB{s}, user)
}

// purgeDB is the Store as the purges of store/internal/sqlpurge see it.
type purgeDB struct{ s *Store }

// tracesQuery finds the sessions in which records name user ($1).
var tracesQuery = sqlpurge.TracesQuery("$1")

// Traced finds the sessions in which records name user.
func (d purgeDB) Traced(ctx context.Context, user string) ([]string, error) {
	return d.sessionIDs(ctx, tracesQuery, user)
}

// candidatesQuery finds more sessions whose documents may hold user:
// those of the courses they are enrolled in, and those with a snapshot
// whose JSON holds the user id.
const candidatesQuery = `
	SELECT s.id FROM sessions s JOIN enrollments e ON e.course_id = s.course_id WHERE e.user_id = $1
	UNION SELECT session_id FROM session_snapshots WHERE strpos(state::text, $1) > 0
	ORDER BY 1`

// Candidates finds more sessions whose documents may hold user.
func (d purgeDB) Candidates(ctx context.Context, user string) ([]string, error) {
	return d.sessionIDs(ctx, candidatesQuery, user)
}

// Open returns those of ids whose catalog state is not ended.
func (d purgeDB) Open(ctx context.Context, ids []string) ([]string, error) {
	out, err := d.sessionIDs(ctx, `SELECT id FROM sessions WHERE state <> 'ended' AND id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, fmt.Errorf("failed to read the state of purged sessions: %w", err)
	}
	return out, nil
}

// sessionIDs runs a query of session ids.
func (d purgeDB) sessionIDs(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := d.s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// Tx runs fn in a transaction, retrying conflicts, and commits it.
func (d purgeDB) Tx(ctx context.Context, fn func(tx sqlpurge.Tx) error) error {
	return d.s.retryTx(ctx, func(tx pgx.Tx) error { return fn(purgeTx{d.s, tx}) })
}

// Publish publishes events in order, as inTx does after a commit.
func (d purgeDB) Publish(events []catalog.Event) {
	d.s.pubMu.Lock()
	defer d.s.pubMu.Unlock()
	for _, ev := range events {
		d.s.hub.Publish(ev)
	}
}

// Interface guards.
var _ sqlpurge.DB = purgeDB{}
