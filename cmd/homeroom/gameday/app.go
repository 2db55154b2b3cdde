package gameday

import (
	"bytes"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// A student's share of the activity frames (docs/activities.md): chat
// messages in the chat scenario, poll frames in the poll scenario. The
// lecture scenario skips app frames unread.

// chatMessagePrefix starts every chat_message payload: the server encodes
// the frame's type first.
var chatMessagePrefix = []byte(`{"type":"chat_message"`)

// app handles one app frame of n payload bytes, read at now.
func (s *student) app(fr *frameReader, n int, now int64) error {
	if s.chat == nil && s.poll == nil {
		return fr.discard(n)
	}
	p, err := fr.payload(n)
	if err != nil {
		return err
	}
	switch {
	case s.chat != nil && bytes.HasPrefix(p, chatMessagePrefix):
		s.chatMessage(now, p)
	case s.poll != nil:
		s.pollFrame(now, p)
	}
	fr.release()
	return nil
}

// refused routes an error frame answering one of the student's own
// messages (its for field) to the scenario that sent it.
func (s *student) refused(e wire.Error) {
	switch {
	case e.For == "":
	case s.chat != nil && s.r.chat.ours(e.For):
		s.r.chat.refused.Add(1)
	case s.poll != nil && e.For == s.poll.attempt:
		select {
		case s.poll.refusals <- e:
		default: // the answerer is behind on refusals; the next retry sees more
		}
	}
}

// jsonInt returns the value of the first "key": in p, a non-negative
// integer, where p is an object encoded by the server (no spaces around
// the colon).
func jsonInt(p []byte, key string) (int64, bool) {
	v, ok := jsonValue(p, key)
	if !ok {
		return 0, false
	}
	return parseUint(v)
}

// parseUint parses the decimal digits at the start of b (at least one, at
// most 18).
func parseUint(b []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(b) && i < 18 && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n, i > 0
}

// jsonString returns the raw value of the first "key":"…" in p, without
// its quotes and unescaped: for the ids gameday chose, which need no
// escaping.
func jsonString(p []byte, key string) ([]byte, bool) {
	v, ok := jsonValue(p, key)
	if !ok || len(v) == 0 || v[0] != '"' {
		return nil, false
	}
	end := bytes.IndexByte(v[1:], '"')
	if end < 0 {
		return nil, false
	}
	return v[1 : 1+end], true
}

// jsonValue returns p from just after the first "key": on. A key inside
// a string value cannot match: there its quotes are escaped.
func jsonValue(p []byte, key string) ([]byte, bool) {
	var pat [64]byte
	k := append(append(append(pat[:0], '"'), key...), '"', ':')
	i := bytes.Index(p, k)
	if i < 0 {
		return nil, false
	}
	return p[i+len(k):], true
}
