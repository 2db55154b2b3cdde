package sqlite

import (
	"context"

	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeSessions implements privacy.SessionPurger in one transaction.
func (s *Store) PurgeSessions(ctx context.Context, sessions []string) (privacy.SessionReport, error) {
	return sqlpurge.PurgeSessions(ctx, purgeDB{s}, ` IN (SELECT value FROM json_each(?1))`, sessions)
}

// Count runs query, of one integer, with sessions as the JSON array ?1.
func (p purgeTx) Count(ctx context.Context, query string, sessions []string) (n int, err error) {
	ids, err := jsonText(sessions)
	if err != nil {
		return 0, err
	}
	err = p.tx.QueryRowContext(ctx, query, ids).Scan(&n)
	return n, err
}

// Delete runs statement with sessions as the JSON array ?1.
func (p purgeTx) Delete(ctx context.Context, statement string, sessions []string) (int, error) {
	ids, err := jsonText(sessions)
	if err != nil {
		return 0, err
	}
	res, err := p.tx.ExecContext(ctx, statement, ids)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Interface guards.
var (
	_ privacy.UserPurger    = (*Store)(nil)
	_ privacy.SessionPurger = (*Store)(nil)
)
