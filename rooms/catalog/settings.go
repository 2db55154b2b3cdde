package catalog

import "crypto/subtle"

// Invite token length bounds.
const (
	MinInviteTokenLength = 16
	MaxInviteTokenLength = 128
)

// Settings are a session's switches. The zero value is an open session
// for enrolled users only.
type Settings struct {
	// BoardLocked stops students from drawing on the board.
	BoardLocked bool `json:"board_locked"`
	// ChatLocked stops students from sending chat messages.
	ChatLocked bool `json:"chat_locked"`
	// StudentCursors lets students see each other's cursors (teachers'
	// cursors are always shown).
	StudentCursors bool `json:"student_cursors"`
	// GuestsAllowed admits users who are not enrolled but present
	// InviteToken.
	GuestsAllowed bool `json:"guests_allowed"`
	// InviteToken is the guests' shared secret: 16–128 characters of
	// A-Z a-z 0-9 _ -, required when GuestsAllowed. See NewInviteToken.
	InviteToken string `json:"invite_token"`
}

// Validate reports the first field that is not acceptable.
func (s Settings) Validate() error {
	if s.InviteToken == "" {
		if s.GuestsAllowed {
			return invalid("settings.invite_token", "is required when guests_allowed is true")
		}
		return nil
	}
	if len(s.InviteToken) < MinInviteTokenLength || len(s.InviteToken) > MaxInviteTokenLength {
		return invalid("settings.invite_token", "must be 16–128 characters")
	}
	for i := 0; i < len(s.InviteToken); i++ {
		c := s.InviteToken[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return invalid("settings.invite_token", "must be characters of A-Z a-z 0-9 _ -")
		}
	}
	return nil
}

// AdmitsGuest reports whether token lets a guest in: guests are allowed
// and token equals InviteToken (compared in constant time).
func (s Settings) AdmitsGuest(token string) bool {
	return s.GuestsAllowed && s.InviteToken != "" &&
		subtle.ConstantTimeCompare([]byte(token), []byte(s.InviteToken)) == 1
}
