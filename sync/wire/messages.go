package wire

import (
	"encoding/json"
	"fmt"
)

// Hello is the first frame a client sends.
type Hello struct {
	Protocol int      `json:"protocol"`
	Session  string   `json:"session"`
	Name     string   `json:"name"`
	User     string   `json:"user,omitempty"`
	Role     string   `json:"role,omitempty"`
	Heads    []string `json:"heads,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	// Token is the signed join token when it is not carried in the
	// Sec-WebSocket-Protocol list. Never logged.
	Token string `json:"token,omitempty"`
	// Invite is a session's guest invite token, for users not enrolled.
	Invite string `json:"invite,omitempty"`
	// ChatSince is the last chat seq the client saw; the server then sends
	// exactly the messages after it (docs/activities.md).
	ChatSince int64 `json:"chat_since,omitempty"`
}

// Join modes announced in Welcome.Mode.
const (
	ModeSnapshot = "snapshot"
	ModeChanges  = "changes"
	ModeSync     = "sync"
)

// Welcome answers Hello.
type Welcome struct {
	Protocol        int      `json:"protocol"`
	Server          string   `json:"server"`
	Session         string   `json:"session"`
	Peer            string   `json:"peer"`
	User            string   `json:"user"`
	Role            string   `json:"role"`
	Mode            string   `json:"mode"`
	Heads           []string `json:"heads"`
	MaxMessageBytes int      `json:"max_message_bytes"`
	RatePerSecond   float64  `json:"rate_per_second"`
	Burst           int      `json:"burst"`
}

// Synced tells a peer its initial sync is complete.
type Synced struct {
	Heads []string `json:"heads"`
}

// Ack acknowledges a client changes frame.
type Ack struct {
	Ref uint64 `json:"ref"`
}

// Presence is a client's ephemeral state. Cursor is nil or [x, y].
type Presence struct {
	Cursor []float64 `json:"cursor"`
	Status string    `json:"status,omitempty"`
}

// PeerPresence is one entry of a server presence batch.
type PeerPresence struct {
	Peer   string    `json:"peer"`
	User   string    `json:"user"`
	Name   string    `json:"name"`
	Cursor []float64 `json:"cursor"`
	Status string    `json:"status,omitempty"`
}

// PresenceBatch is what the server sends in a presence frame.
type PresenceBatch struct {
	Peers []PeerPresence `json:"peers"`
}

// App is the envelope of an application frame; the rest of the object is
// read by the activity that handles Type.
type App struct {
	Type string `json:"type"`
}

// DecodeJSON decodes a JSON payload of frame type t into v, wrapping the
// failure with the frame's name.
func DecodeJSON(t Type, payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("decode %s: %w", t, err)
	}
	return nil
}

// JSONFrame encodes v as the payload of one frame of type t.
func JSONFrame(t Type, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the fixed message types above are ever passed here; they
		// always marshal.
		panic(fmt.Sprintf("wire: marshal %s: %v", t, err))
	}
	return EncodeFrame(t, b)
}
