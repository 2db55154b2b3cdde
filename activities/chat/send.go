package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/homeroom-edu/homeroom/activities"
)

// Limits of a chat_send frame.
const (
	// MaxTextRunes is the most characters (Unicode code points) a message
	// may have, after its trailing white space is removed.
	MaxTextRunes = 2000
	// MaxIDBytes is the longest client message id.
	MaxIDBytes = activities.MaxClientID
)

// SendRequest is the payload of a chat_send frame (its "type" is read by
// the dispatcher).
type SendRequest struct {
	// ID is the client's id for the message; a retry carries the same.
	ID string `json:"id"`
	// Text is the message.
	Text string `json:"text"`
	// To is activities.ToEveryone ("") or activities.ToStaff ("staff").
	To string `json:"to"`
}

// Check normalises the request, removing trailing white space from Text,
// and reports what is wrong with it as one of this package's *Error
// values: the id (ErrBadID) first, so that any other refusal can name the
// message it refuses, then the audience and the text.
func (r *SendRequest) Check() error {
	if !validID(r.ID) {
		return ErrBadID
	}
	if r.To != activities.ToEveryone && r.To != activities.ToStaff {
		return ErrBadAudience
	}
	text := strings.TrimRightFunc(r.Text, unicode.IsSpace)
	switch {
	case !utf8.ValidString(text):
		return ErrBadText
	case text == "":
		return ErrEmptyText
	case strings.IndexFunc(text, isControl) >= 0:
		return ErrControlText
	case len(text) > MaxTextRunes && utf8.RuneCountInString(text) > MaxTextRunes:
		return ErrTextTooLong
	}
	r.Text = text
	return nil
}

// validID reports whether id is 1 to MaxIDBytes printable ASCII bytes
// (space through tilde).
func validID(id string) bool {
	return len(id) > 0 && len(id) <= MaxIDBytes && activities.PrintableASCII(id)
}

// isControl reports a control character a chat message may not hold: all
// but tab and the line breaks.
func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}
