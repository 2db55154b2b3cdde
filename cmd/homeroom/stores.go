package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/postgres"
	"github.com/homeroom-edu/homeroom/store/sqlite"
)

// durable is a store that holds the catalog, the audit log and session
// documents: Postgres in production, SQLite embedded by default.
type durable interface {
	catalog.Catalog
	catalog.AuditLog
	rooms.DocStore
}

// openStore opens Postgres when databaseURL is set, otherwise the embedded
// SQLite file in dataDir, and applies pending migrations when migrate is
// set. close releases it; the caller calls it after the server stopped.
func openStore(ctx context.Context, databaseURL, dataDir string, migrate bool, log *slog.Logger) (s durable, close func(), err error) {
	if databaseURL != "" {
		pg, err := postgres.Open(ctx, databaseURL)
		if err != nil {
			return nil, nil, err
		}
		if migrate {
			if err := pg.Migrate(ctx); err != nil {
				pg.Close()
				return nil, nil, fmt.Errorf("migrate Postgres: %w", err)
			}
		}
		log.Info("store: Postgres")
		return pg, pg.Close, nil
	}
	path := filepath.Join(dataDir, "homeroom.db")
	lite, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	// The embedded store belongs to this node alone: always migrate it.
	if err := lite.Migrate(ctx); err != nil {
		lite.Close()
		return nil, nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	log.Info("store: embedded SQLite", "file", path)
	return lite, func() { lite.Close() }, nil
}
