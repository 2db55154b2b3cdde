package activities

import "time"

// Chat audiences: a message goes to everyone in the session, or privately
// to its teachers and moderators (and back to its sender).
const (
	ToEveryone = ""
	ToStaff    = "staff"
)

// ChatMessage is one message of a session's chat.
type ChatMessage struct {
	Session string `json:"session"`
	// Seq is the server's sequence number of the message in its session,
	// from 1 and increasing; a client resumes from the last Seq it saw.
	Seq int64 `json:"seq"`
	// ClientID is the sender's id for the message: a retried send carries
	// the same one and is not stored twice.
	ClientID string `json:"id"`
	User     string `json:"user"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// To is ToEveryone or ToStaff.
	To     string    `json:"to,omitempty"`
	Text   string    `json:"text"`
	SentAt time.Time `json:"at"`
	// DeletedAt is set when a moderator deleted the message; Text is then
	// empty everywhere it is sent or stored.
	DeletedAt time.Time `json:"deleted_at,omitzero"`
	DeletedBy string    `json:"deleted_by,omitempty"`
}

// Deleted reports whether the message is a tombstone.
func (m ChatMessage) Deleted() bool { return !m.DeletedAt.IsZero() }
