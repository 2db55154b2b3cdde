package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/migrations"
)

// eventBuffer is each subscriber's channel capacity.
const eventBuffer = 1024

// Store is a Catalog, an AuditLog, a DocStore and an activities.Store in
// Postgres. Safe for concurrent use; create it with Open and release it
// with Close.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time

	// pubMu orders commit-then-publish, so that events of one record
	// reach subscribers in commit order.
	pubMu sync.Mutex
	hub   *catalog.Hub

	closeOnce sync.Once
}

// Open connects to the database at url (a postgres:// URL or a DSN; pool
// options such as pool_max_conns and runtime parameters such as
// search_path may be given in it) and checks that it answers. It does not
// migrate: call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("failed to parse postgres url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to open postgres pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("failed to reach postgres at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return &Store{pool: pool, now: time.Now, hub: catalog.NewHub(eventBuffer)}, nil
}

// Close closes the pool, waiting for connections in use to be returned.
// It is safe to call more than once.
func (s *Store) Close() { s.closeOnce.Do(s.pool.Close) }

// Migrate applies every embedded migration not yet applied; with none
// pending it changes nothing.
func (s *Store) Migrate(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	// Nodes starting together with --migrate take turns: a lock row in
	// the schema's goose_lock table, with a lease that expires if the
	// holder dies.
	locker, err := lock.NewPostgresTableLocker(lock.WithTableLockTimeout(250*time.Millisecond, 480))
	if err != nil {
		return fmt.Errorf("failed to create the migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.Postgres, goose.WithLocker(locker))
	if err != nil {
		return fmt.Errorf("failed to load migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("failed to migrate: %w", err)
	}
	return nil
}

// Subscribe implements catalog.Catalog. Only this Store's writes are
// reported.
func (s *Store) Subscribe() (<-chan catalog.Event, func()) { return s.hub.Subscribe() }

// inTx runs fn in a transaction, commits it and then publishes the event
// fn returned, if any.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) (*catalog.Event, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit
	ev, err := fn(tx)
	if err != nil {
		return err
	}
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("failed to commit: %w", err)
	}
	if ev != nil {
		s.hub.Publish(*ev)
	}
	return nil
}

// isCode reports whether err is a Postgres error with the SQLSTATE code.
func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// SQLSTATE codes the store maps to catalog errors.
const (
	codeForeignKey = "23503"
	codeUnique     = "23505"
)

// Interface guards.
var (
	_ catalog.Catalog  = (*Store)(nil)
	_ catalog.AuditLog = (*Store)(nil)
	_ activities.Store = (*Store)(nil)
)
