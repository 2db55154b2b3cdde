package catalog

import (
	"context"
	"time"
)

// Limits of AuditQuery.Limit.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 1000
)

// AuditLog records who did what, for teachers, administrators and
// incident reviews. Implementations are safe for concurrent use and must
// pass catalogtest.RunAudit.
type AuditLog interface {
	// Record appends an entry. A zero At is set to the current time;
	// Action is required (ErrInvalid).
	Record(ctx context.Context, e AuditEntry) error
	// List returns the newest entries first.
	List(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// AuditEntry is one recorded action. Detail must never hold secrets
// (invite tokens, keys) or message contents.
type AuditEntry struct {
	At time.Time `json:"at"`
	// ActorID and ActorRole say who acted: a user id and their Role, or
	// "admin" and "admin" for the admin API.
	ActorID   string `json:"actor_id"`
	ActorRole string `json:"actor_role"`
	// Action is a dotted verb, e.g. "session.start", "enrollment.put".
	Action string `json:"action"`
	// SessionID is the session acted in or on, if any.
	SessionID string `json:"session_id,omitempty"`
	// TargetID is the record or user acted on, if any.
	TargetID string `json:"target_id,omitempty"`
	// Detail is a short human-readable note, e.g. "state=live".
	Detail string `json:"detail,omitempty"`
}

// AuditQuery selects entries for AuditLog.List.
type AuditQuery struct {
	// SessionID keeps only the entries of one session. Default "": all.
	SessionID string
	// Limit is the most entries returned. Default (0) DefaultAuditLimit;
	// larger than MaxAuditLimit is capped.
	Limit int
}
