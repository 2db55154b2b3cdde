package main

import (
	"context"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var databaseURL, dataDir string
	fs := newFlagSet("migrate", "Apply pending schema migrations to the Postgres database (--database-url),\n"+
		"or to the embedded SQLite store in --data-dir, and exit.", stderr)
	fs.stringVar(&databaseURL, "database-url", "DATABASE_URL", "", "Postgres URL; empty: the embedded SQLite store in --data-dir")
	fs.stringVar(&dataDir, "data-dir", "HOMEROOM_DATA_DIR", "./data", "directory of the embedded SQLite store (homeroom.db)")
	if err := fs.parse(args); err != nil {
		return err
	}
	log, err := newLogger(stderr, "info", "text")
	if err != nil {
		return err
	}
	_, closeStore, err := openStore(ctx, databaseURL, dataDir, true, log)
	if err != nil {
		return err
	}
	closeStore()
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}
