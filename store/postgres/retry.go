package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// SQLSTATE codes after which a transaction may simply be run again.
const (
	codeSerialization = "40001"
	codeDeadlock      = "40P01"
)

// txAttempts bounds how often retryTx runs a transaction.
const txAttempts = 3

// retryTx runs fn in a transaction and commits it, running it again (up to
// txAttempts in all) when Postgres aborted it for a deadlock or a
// serialization failure.
func (s *Store) retryTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for range txAttempts {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if !isCode(err, codeDeadlock) && !isCode(err, codeSerialization) {
			return err
		}
	}
	return err
}
