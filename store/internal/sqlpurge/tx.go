package sqlpurge

import (
	"context"
	"errors"
)

// errDryRun is what a dry run's transaction fails with, to be rolled
// back.
var errDryRun = errors.New("dry run")

// inTx runs fn in a transaction of db and commits it, or for a dry run
// rolls it back.
func inTx(ctx context.Context, db DB, dry bool, fn func(tx Tx) error) error {
	if !dry {
		return db.Tx(ctx, fn)
	}
	err := db.Tx(ctx, func(tx Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}
