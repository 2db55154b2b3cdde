package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const chatCols = `session_id, seq, client_id, user_id, name, role, audience, body, sent_at, deleted_at, coalesce(deleted_by, '')`

// AppendChat implements activities.Store in one transaction.
func (s *Store) AppendChat(ctx context.Context, msgs []activities.ChatMessage) error {
	err := execEach(ctx, s, `INSERT INTO chat_messages (session_id, seq, client_id, user_id, name, role, audience, body, sent_at, deleted_at, deleted_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''))
		ON CONFLICT (session_id, seq) DO NOTHING`, msgs, func(m activities.ChatMessage) []any {
		m = records.Chat(m)
		return []any{m.Session, m.Seq, m.ClientID, m.User, m.Name, m.Role, m.To, m.Text, usec(m.SentAt), optUsec(m.DeletedAt), m.DeletedBy}
	})
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
	_, err := s.db.ExecContext(ctx, `UPDATE chat_messages
		SET body = '', deleted_at = coalesce(deleted_at, ?), deleted_by = coalesce(deleted_by, ?)
		WHERE session_id = ? AND seq = ?`, usec(records.Time(at)), by, session, seq)
	if err != nil {
		return fmt.Errorf("failed to delete chat message %d of session %q: %w", seq, session, err)
	}
	return nil
}

// ChatHistory implements activities.Store.
func (s *Store) ChatHistory(ctx context.Context, session string, after int64, limit int) ([]activities.ChatMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+chatCols+` FROM chat_messages
		WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`, session, after, max(limit, 0))
	return list(rows, err, scanChat, "chat messages")
}

func scanChat(r row) (activities.ChatMessage, error) {
	var m activities.ChatMessage
	err := r.Scan(&m.Session, &m.Seq, &m.ClientID, &m.User, &m.Name, &m.Role, &m.To, &m.Text,
		timeCol{&m.SentAt}, optTimeCol{&m.DeletedAt}, &m.DeletedBy)
	return m, err
}

// LastChatSeq implements activities.Store.
func (s *Store) LastChatSeq(ctx context.Context, session string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM chat_messages WHERE session_id = ?`, session).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("failed to read the last chat seq of session %q: %w", session, err)
	}
	return seq, nil
}
