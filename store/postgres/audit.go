package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Record implements catalog.AuditLog. Entries are kept until purged.
func (s *Store) Record(ctx context.Context, e catalog.AuditEntry) error {
	if e.Action == "" {
		return &catalog.InvalidError{Field: "audit.action", Reason: "is required"}
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO audit_log (at, actor_id, actor_role, action, session_id, target_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		catalog.StoredTime(e.At), e.ActorID, e.ActorRole, e.Action, e.SessionID, e.TargetID, e.Detail)
	if err != nil {
		return fmt.Errorf("failed to record audit entry %q: %w", e.Action, err)
	}
	return nil
}

// List implements catalog.AuditLog: newest first, in the order recorded.
func (s *Store) List(ctx context.Context, q catalog.AuditQuery) ([]catalog.AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = catalog.DefaultAuditLimit
	}
	limit = min(limit, catalog.MaxAuditLimit)
	const cols = `SELECT at, actor_id, actor_role, action, session_id, target_id, detail FROM audit_log`
	var rows pgx.Rows
	var err error
	if q.SessionID == "" {
		rows, err = s.pool.Query(ctx, cols+` ORDER BY id DESC LIMIT $1`, limit)
	} else {
		rows, err = s.pool.Query(ctx, cols+` WHERE session_id = $1 ORDER BY id DESC LIMIT $2`, q.SessionID, limit)
	}
	return list(rows, err, scanAudit, "audit entries")
}

func scanAudit(r pgx.Row) (catalog.AuditEntry, error) {
	var e catalog.AuditEntry
	err := r.Scan(&e.At, &e.ActorID, &e.ActorRole, &e.Action, &e.SessionID, &e.TargetID, &e.Detail)
	e.At = e.At.UTC()
	return e, err
}
