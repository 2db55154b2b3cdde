package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
// Lists of sessions go to SQLite as JSON arrays, read with json_each.
type purgeDB struct{ s *Store }

// tracesQuery finds the sessions in which records name user (?1).
var tracesQuery = sqlpurge.TracesQuery("?1")

// Traced finds the sessions in which records name user.
func (d purgeDB) Traced(ctx context.Context, user string) ([]string, error) {
	return d.sessionIDs(ctx, tracesQuery, user)
}

// candidatesQuery finds more sessions whose documents may hold user:
// those of the courses they are enrolled in, and those with a snapshot
// whose JSON holds the user id.
const candidatesQuery = `
	SELECT s.id FROM sessions s JOIN enrollments e ON e.course_id = s.course_id WHERE e.user_id = ?1
	UNION SELECT session_id FROM session_snapshots WHERE instr(state, ?1) > 0
	ORDER BY 1`

// Candidates finds more sessions whose documents may hold user.
func (d purgeDB) Candidates(ctx context.Context, user string) ([]string, error) {
	return d.sessionIDs(ctx, candidatesQuery, user)
}

// Open returns those of ids whose catalog state is not ended.
func (d purgeDB) Open(ctx context.Context, ids []string) ([]string, error) {
	list, err := jsonText(ids)
	if err != nil {
		return nil, err
	}
	out, err := d.sessionIDs(ctx, `SELECT id FROM sessions
		WHERE state <> 'ended' AND id IN (SELECT value FROM json_each(?)) ORDER BY id`, list)
	if err != nil {
		return nil, fmt.Errorf("failed to read the state of purged sessions: %w", err)
	}
	return out, nil
}

// sessionIDs runs a query of session ids.
func (d purgeDB) sessionIDs(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := d.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to find the sessions of a purged user: %w", err)
	}
	return out, nil
}

// Tx runs fn in a write transaction and commits it.
func (d purgeDB) Tx(ctx context.Context, fn func(tx sqlpurge.Tx) error) error {
	return d.s.write(ctx, func(tx *sql.Tx) error { return fn(purgeTx{d.s, tx}) })
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
