package chat

import (
	"fmt"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Error is a chat request refused for a reason the client is told: Code
// is the error frame's code (docs/activities.md).
type Error struct {
	Code    wire.Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("chat: %s: %s", e.Code, e.Message) }

// ErrorCode returns Code as a string, for callers that match on the
// method rather than on this type.
func (e *Error) ErrorCode() string { return string(e.Code) }

// The refusals of SendRequest.Check; errors.Is matches them and
// errors.As gives their Code.
var (
	// ErrBadID: the message id is not 1 to MaxIDBytes printable ASCII
	// bytes.
	ErrBadID = &Error{Code: wire.CodeBadFrame, Message: fmt.Sprintf("id must be 1 to %d printable ASCII characters", MaxIDBytes)}
	// ErrBadAudience: to is neither "" (everyone) nor "staff".
	ErrBadAudience = &Error{Code: wire.CodeBadFrame, Message: `to must be "" or "staff"`}
	// ErrBadText: the text is not valid UTF-8.
	ErrBadText = &Error{Code: wire.CodeBadFrame, Message: "text is not valid UTF-8"}
	// ErrControlText: the text holds a control character other than a tab
	// or a line break (NUL cannot even be stored in Postgres text).
	ErrControlText = &Error{Code: wire.CodeBadFrame, Message: "text contains a control character"}
	// ErrEmptyText: nothing is left of the text once trailing white space
	// is removed.
	ErrEmptyText = &Error{Code: wire.CodeBadFrame, Message: "text is empty"}
	// ErrTextTooLong: the text has more than MaxTextRunes characters.
	ErrTextTooLong = &Error{Code: wire.CodeTooLarge, Message: fmt.Sprintf("text is longer than %d characters", MaxTextRunes)}
)
