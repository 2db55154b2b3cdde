package postgres

import (
	"context"

	"github.com/homeroom-edu/homeroom/store/internal/sqlpurge"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeSessions implements privacy.SessionPurger in one transaction.
func (s *Store) PurgeSessions(ctx context.Context, sessions []string) (privacy.SessionReport, error) {
	return sqlpurge.PurgeSessions(ctx, purgeDB{s}, ` = ANY($1)`, sessions)
}

// Count runs query, of one integer, with sessions as $1.
func (p purgeTx) Count(ctx context.Context, query string, sessions []string) (n int, err error) {
	err = p.tx.QueryRow(ctx, query, sessions).Scan(&n)
	return n, err
}

// Delete runs statement with sessions as $1.
func (p purgeTx) Delete(ctx context.Context, statement string, sessions []string) (int, error) {
	tag, err := p.tx.Exec(ctx, statement, sessions)
	return int(tag.RowsAffected()), err
}

// Interface guards.
var (
	_ privacy.UserPurger    = (*Store)(nil)
	_ privacy.SessionPurger = (*Store)(nil)
)
