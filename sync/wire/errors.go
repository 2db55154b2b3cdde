package wire

import "github.com/coder/websocket"

// Code is a stable, client-visible error code carried in error frames.
type Code string

// Error codes; docs/protocol.md lists them for client authors.
const (
	CodeBadFrame      Code = "bad_frame"
	CodeUnknownFrame  Code = "unknown_frame"
	CodeNotJoined     Code = "not_joined"
	CodeAlreadyJoined Code = "already_joined"
	CodeBadChange     Code = "bad_change"
	CodeMissingDeps   Code = "missing_deps"
	CodeBadSync       Code = "bad_sync"
	CodeRateLimited   Code = "rate_limited"
	CodeTooLarge      Code = "too_large"
	CodeUnsupported   Code = "unsupported"
	CodeInternal      Code = "internal"
	CodeUnauthorized  Code = "unauthorized"
	CodeForbidden     Code = "forbidden"
	CodeBoardLocked   Code = "board_locked"
	CodeSessionEnded  Code = "session_ended"
	CodeRemoved       Code = "removed"
	// Activity codes (docs/activities.md).
	CodeChatLocked      Code = "chat_locked"
	CodeMuted           Code = "muted"
	CodePollClosed      Code = "poll_closed"
	CodeAlreadyAnswered Code = "already_answered"
	CodeBadAnswer       Code = "bad_answer"
	CodeNotFound        Code = "not_found"
)

// temporary lists the codes whose frame may succeed if sent again later.
var temporary = map[Code]bool{
	CodeMissingDeps: true,
	CodeRateLimited: true,
	CodeInternal:    true,
}

// Error is the payload of an error frame.
type Error struct {
	Code      Code   `json:"code"`
	Message   string `json:"message"`
	Ref       uint64 `json:"ref"`
	Temporary bool   `json:"temporary"`
	Reset     bool   `json:"reset"`
	// For repeats the client's id of the app message refused (a chat
	// message id, a poll answer's attempt_id), when it had one.
	For string `json:"for,omitempty"`
}

// NewError builds an error payload, filling Temporary from the code table.
func NewError(code Code, ref uint64, msg string) Error {
	return Error{Code: code, Message: msg, Ref: ref, Temporary: temporary[code]}
}

// Frame encodes e as an error frame.
func (e Error) Frame() []byte { return JSONFrame(TypeError, e) }

func (e Error) Error() string { return string(e.Code) + ": " + e.Message }

// Close codes sent by the server; docs/protocol.md explains what a client
// should do on each.
const (
	CloseNormal         = websocket.StatusNormalClosure
	CloseTooBig         = websocket.StatusMessageTooBig
	CloseServiceRestart = websocket.StatusServiceRestart
	CloseProtocolError  = websocket.StatusCode(4000)
	CloseUnauthorized   = websocket.StatusCode(4001)
	CloseTokenExpired   = websocket.StatusCode(4002)
	CloseForbidden      = websocket.StatusCode(4003)
	CloseBadSignature   = websocket.StatusCode(4005)
	CloseRemoved        = websocket.StatusCode(4009)
	CloseSessionEnded   = websocket.StatusCode(4010)
	CloseIdleTimeout    = websocket.StatusCode(4004)
	CloseSlowConsumer   = websocket.StatusCode(4008)
	CloseInternal       = websocket.StatusCode(4011)
	CloseSessionFull    = websocket.StatusCode(4013)
	CloseFlood          = websocket.StatusCode(4029)
)

// Retryable reports whether a client should reconnect after the server
// closed with code.
func Retryable(code websocket.StatusCode) bool {
	switch code {
	case CloseNormal, CloseTooBig, CloseProtocolError, CloseUnauthorized, CloseTokenExpired,
		CloseForbidden, CloseBadSignature, CloseRemoved, CloseSessionEnded:
		return false
	}
	return true
}
