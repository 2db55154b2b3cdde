package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const chatCols = `session_id, seq, client_id, user_id, name, role, audience, body, sent_at, deleted_at, coalesce(deleted_by, '')`

// AppendChat implements activities.Store in one statement over arrays of
// the batch's columns.
func (s *Store) AppendChat(ctx context.Context, msgs []activities.ChatMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	n := len(msgs)
	sessions, clients, users, names, roles := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	audiences, bodies, seqs, sent := make([]string, n), make([]string, n), make([]int64, n), make([]time.Time, n)
	deletedAt, deletedBy := make([]*time.Time, n), make([]*string, n)
	for i, m := range msgs {
		m = records.Chat(m)
		sessions[i], seqs[i], clients[i], users[i], names[i], roles[i] = m.Session, m.Seq, m.ClientID, m.User, m.Name, m.Role
		audiences[i], bodies[i], sent[i], deletedAt[i] = m.To, m.Text, m.SentAt, optTime(m.DeletedAt)
		if m.Deleted() {
			deletedBy[i] = &m.DeletedBy
		}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO chat_messages
			(session_id, seq, client_id, user_id, name, role, audience, body, sent_at, deleted_at, deleted_by)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[])
		ON CONFLICT (session_id, seq) DO NOTHING`,
		sessions, seqs, clients, users, names, roles, audiences, bodies, sent, deletedAt, deletedBy)
	if err != nil {
		return fmt.Errorf("failed to store chat: %w", err)
	}
	return nil
}

// DeleteChat implements activities.Store. Deleting a tombstone again keeps
// the first deletion. Deleting a message that is not stored changes
// nothing and is not an error: there is no text to remove (its write was
// dropped), and a writer retrying the batch would otherwise never finish.
func (s *Store) DeleteChat(ctx context.Context, session string, seq int64, by string, at time.Time) error {
	if at.IsZero() {
		at = s.now() // a tombstone must read as deleted
	}
	_, err := s.pool.Exec(ctx, `UPDATE chat_messages
		SET body = '', deleted_at = coalesce(deleted_at, $3), deleted_by = coalesce(deleted_by, $4)
		WHERE session_id = $1 AND seq = $2`, session, seq, records.Time(at), by)
	if err != nil {
		return fmt.Errorf("failed to delete chat message %d of session %q: %w", seq, session, err)
	}
	return nil
}

// ChatHistory implements activities.Store.
func (s *Store) ChatHistory(ctx context.Context, session string, after int64, limit int) ([]activities.ChatMessage, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+chatCols+` FROM chat_messages
		WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, session, after, max(limit, 0))
	return list(rows, err, scanChat, "chat messages")
}

func scanChat(r pgx.Row) (activities.ChatMessage, error) {
	var m activities.ChatMessage
	var deleted *time.Time
	err := r.Scan(&m.Session, &m.Seq, &m.ClientID, &m.User, &m.Name, &m.Role, &m.To, &m.Text, &m.SentAt, &deleted, &m.DeletedBy)
	m.SentAt, m.DeletedAt = m.SentAt.UTC(), fromOpt(deleted)
	return m, err
}

// LastChatSeq implements activities.Store.
func (s *Store) LastChatSeq(ctx context.Context, session string) (int64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM chat_messages WHERE session_id = $1`, session).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("failed to read the last chat seq of session %q: %w", session, err)
	}
	return seq, nil
}
