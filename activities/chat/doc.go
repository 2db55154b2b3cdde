// Package chat is the pure logic of a session's chat: the recent history
// with its sequence numbers and retry detection, who may see which
// message, the checks on a chat_send frame, and the per-user rate limit.
//
// It does no I/O and takes no locks: every value here belongs to the one
// session goroutine that drives it (rooms), which writes the transcript
// to the store through a batch writer and fans messages out itself. Times
// come in as arguments, so everything is testable without a clock. The
// wire frames are specified in docs/activities.md.
package chat
