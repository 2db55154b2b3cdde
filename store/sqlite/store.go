package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	sqlitedrv "modernc.org/sqlite"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/migrations"
)

const (
	// eventBuffer is each subscriber's channel capacity.
	eventBuffer = 1024
	// maxConns bounds the connections to the database file.
	maxConns = 8
	// busyTimeout is how long a write waits for another to finish.
	busyTimeout = 10 * time.Second
)

// Store is a Catalog, an AuditLog, a DocStore and an activities.Store in a
// SQLite file. Safe for concurrent use; create it with Open and release it
// with Close.
type Store struct {
	db  *sql.DB
	now func() time.Time

	// pubMu orders commit-then-publish, so that events of one record
	// reach subscribers in commit order.
	pubMu sync.Mutex
	hub   *catalog.Hub

	closeOnce sync.Once
	closeErr  error
}

// Open opens the database file at path, creating it and its directory if
// needed, in WAL mode with a busy timeout and foreign keys on. Write
// transactions begin IMMEDIATE, so concurrent writers queue on the busy
// timeout instead of failing. It does not migrate: call Migrate.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("failed to open sqlite: invalid path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("failed to create data directory: %w", err)
	}
	dsn := fmt.Sprintf("%s?_txlock=immediate&_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)"+
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)", path, busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("failed to open sqlite %q: %w", path, err)
	}
	// Every SQLite connection carries its own page cache, and a join storm
	// asks thousands of admission questions at once: a small pool keeps
	// memory flat (2,000 joins once opened ~2,000 connections, +240 MB of
	// RSS) and loses nothing, since SQLite runs one writer at a time anyway.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("failed to open sqlite %q: %w", path, err)
	}
	return &Store{db: db, now: time.Now, hub: catalog.NewHub(eventBuffer)}, nil
}

// Close closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.db.Close() })
	return s.closeErr
}

// Migrate applies every embedded migration not yet applied; with none
// pending it changes nothing.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := goose.NewProvider(goose.DialectSQLite3, s.db, migrations.SQLite)
	if err != nil {
		return fmt.Errorf("failed to load migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("failed to migrate: %w", err)
	}
	return nil
}

// Subscribe implements catalog.Catalog.
func (s *Store) Subscribe() (<-chan catalog.Event, func()) { return s.hub.Subscribe() }

// inTx runs fn in an IMMEDIATE transaction, commits it and then publishes
// the event fn returned, if any.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) (*catalog.Event, error)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	ev, err := fn(tx)
	if err != nil {
		return err
	}
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("failed to commit: %w", err)
	}
	if ev != nil {
		s.hub.Publish(*ev)
	}
	return nil
}

// isConstraint reports whether err is a violated constraint (unique,
// primary key or foreign key).
func isConstraint(err error) bool {
	const sqliteConstraint = 19 // primary result code of SQLITE_CONSTRAINT_*
	var se *sqlitedrv.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteConstraint
}

// Interface guards.
var (
	_ catalog.Catalog  = (*Store)(nil)
	_ catalog.AuditLog = (*Store)(nil)
	_ activities.Store = (*Store)(nil)
)
