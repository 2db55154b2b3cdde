package chat

import (
	"sort"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// DefaultHistorySize is how many recent messages a History keeps unless
// told otherwise.
const DefaultHistorySize = 500

// History is the recent chat of one session: the last messages in a ring,
// the sequence numbers, and the ids of recent sends so that a retried
// chat_send is recognised instead of stored twice.
//
// The ring is ordered by Seq and holds every message with floor < Seq <=
// LastSeq() that exists (messages lost before they were stored are gaps
// that no longer exist anywhere), so a client that saw up to seq k misses
// exactly the ring's messages after k, provided k is not below floor.
//
// A History is not safe for concurrent use: the session goroutine owns it.
type History struct {
	ring  []activities.ChatMessage // grows to size, then wraps
	size  int
	start int   // ring index of the oldest message once full
	last  int64 // the highest Seq given or stored
	floor int64 // the ring holds every message after it
	sent  sentIndex
}

// NewHistory returns an empty history keeping the last size messages
// (DefaultHistorySize if size <= 0) and recognising a retry of any of
// them, or of any of the last DedupeWindow messages, whichever is more.
func NewHistory(size int) *History {
	if size <= 0 {
		size = DefaultHistorySize
	}
	return &History{size: size, sent: newSentIndex(max(DedupeWindow, size))}
}

// Restore puts back a message read from the store when the session is
// reloaded, as it was stored (Seq and tombstone included), and remembers
// its client id so that a retry is still recognised. Give the stored
// messages oldest first, all those after the first one given; a message
// not newer than LastSeq is ignored. Call Resume after.
func (h *History) Restore(m activities.ChatMessage) {
	if m.Seq <= h.last {
		return
	}
	if len(h.ring) == 0 {
		h.floor = m.Seq - 1 // nothing before it is held
	}
	h.push(m)
	if m.ClientID != "" {
		rec := sentRecord{seq: m.Seq, at: m.SentAt, to: m.To}
		if m.Deleted() {
			rec.deleted = &deletion{by: m.DeletedBy, at: m.DeletedAt}
		}
		h.sent.add(sentKey{user: m.User, id: m.ClientID}, rec)
	}
}

// Resume makes the next message lastSeq+1, or LastSeq()+1 if that is
// higher: a session reloaded from the store continues the numbering it
// stored. If lastSeq is above the newest message held, the messages in
// between are unknown here and Since reports the history incomplete for
// a client that saw fewer than lastSeq.
func (h *History) Resume(lastSeq int64) {
	if lastSeq > h.last {
		h.last, h.floor = lastSeq, lastSeq
	}
}

// LastSeq is the Seq of the newest message (0 before any), the chat's
// last_seq in session_state.
func (h *History) LastSeq() int64 { return h.last }

// Len is the number of messages in the ring.
func (h *History) Len() int { return len(h.ring) }

// at returns the ring slot of the k-th oldest message.
func (h *History) at(k int) *activities.ChatMessage {
	i := h.start + k
	if i >= len(h.ring) {
		i -= len(h.ring)
	}
	return &h.ring[i]
}

// after returns the position (k as for at) of the oldest message with
// Seq > seq, or Len() if there is none.
func (h *History) after(seq int64) int {
	n := len(h.ring)
	if n == 0 || h.at(n-1).Seq <= seq {
		return n
	}
	if first := h.at(0).Seq; seq < first {
		return 0
	} else if last := h.at(n - 1).Seq; last-first+1 == int64(n) {
		return int(seq - first + 1) // no gaps: the usual case
	}
	return sort.Search(n, func(k int) bool { return h.at(k).Seq > seq })
}

// find returns the ring slot of message seq, if it is in the ring.
func (h *History) find(seq int64) (*activities.ChatMessage, bool) {
	k := h.after(seq - 1)
	if k == len(h.ring) || h.at(k).Seq != seq {
		return nil, false
	}
	return h.at(k), true
}

// push appends m as the newest message, evicting the oldest if full.
func (h *History) push(m activities.ChatMessage) {
	h.last = m.Seq
	if len(h.ring) < h.size {
		h.ring = append(h.ring, m)
		return
	}
	h.floor = h.ring[h.start].Seq
	h.ring[h.start] = m
	h.start++
	if h.start == len(h.ring) {
		h.start = 0
	}
}

// Post stores msg as the session's next message and returns it with its
// Seq. The caller has checked it (SendRequest.Check) and filled in the
// sender, the audience and SentAt; Post sets only Seq.
//
// If the same user already sent a message with the same ClientID within
// the dedupe window, nothing is stored and Post returns that message with
// dup set: the retry is answered with the stored message (as a tombstone
// if it was deleted since). A message that has left the ring is rebuilt
// from the retry with its original Seq, SentAt, audience and deletion. A
// message without ClientID is never taken for a retry.
func (h *History) Post(msg activities.ChatMessage) (stored activities.ChatMessage, dup bool) {
	k := sentKey{user: msg.User, id: msg.ClientID}
	if msg.ClientID != "" {
		if rec, ok := h.sent.get(k); ok {
			return h.original(msg, rec), true
		}
	}
	msg.Seq = h.last + 1
	h.push(msg)
	if msg.ClientID != "" {
		h.sent.add(k, sentRecord{seq: msg.Seq, at: msg.SentAt, to: msg.To})
	}
	return msg, false
}

// original returns the stored message a retry repeats.
func (h *History) original(retry activities.ChatMessage, rec sentRecord) activities.ChatMessage {
	if m, ok := h.find(rec.seq); ok {
		return *m
	}
	m := retry
	m.Seq, m.SentAt, m.To = rec.seq, rec.at, rec.to
	if rec.deleted != nil {
		m.Text, m.DeletedAt, m.DeletedBy = "", rec.deleted.at, rec.deleted.by
	}
	return m
}

// Since returns, oldest first, the messages with Seq > after that are in
// the ring and that visible accepts (nil: all), tombstones included.
// complete is false when the ring cannot tell what came after `after`:
// it is older than what the ring holds, or newer than the newest message
// (the client saw numbers this history never gave). The caller then
// sends the recent history with reset instead.
func (h *History) Since(after int64, visible func(activities.ChatMessage) bool) (msgs []activities.ChatMessage, complete bool) {
	if after < h.floor || after > h.last {
		return nil, false
	}
	from := h.after(after)
	if from < len(h.ring) {
		msgs = make([]activities.ChatMessage, 0, len(h.ring)-from)
	}
	for k := from; k < len(h.ring); k++ {
		if m := h.at(k); visible == nil || visible(*m) {
			msgs = append(msgs, *m)
		}
	}
	return msgs, true
}

// Recent returns, oldest first, up to n of the newest messages in the
// ring that visible accepts (nil: all), tombstones included.
func (h *History) Recent(n int, visible func(activities.ChatMessage) bool) []activities.ChatMessage {
	if n <= 0 {
		return nil
	}
	msgs := make([]activities.ChatMessage, 0, min(n, len(h.ring)))
	for k := len(h.ring) - 1; k >= 0 && len(msgs) < n; k-- {
		if m := h.at(k); visible == nil || visible(*m) {
			msgs = append(msgs, *m)
		}
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs
}

// Delete turns message seq into a tombstone, its text removed, deleted
// by `by` at `at`, and returns it. ok is false if seq is not in the ring
// (the caller deletes it in the store all the same). Deleting a tombstone
// again changes nothing and returns it.
func (h *History) Delete(seq int64, by string, at time.Time) (tomb activities.ChatMessage, ok bool) {
	m, ok := h.find(seq)
	if !ok {
		h.sent.deleteSeq(seq, by, at)
		return activities.ChatMessage{}, false
	}
	if !m.Deleted() {
		m.Text, m.DeletedAt, m.DeletedBy = "", at, by
		if m.ClientID != "" {
			h.sent.delete(sentKey{user: m.User, id: m.ClientID}, by, at)
		}
	}
	return *m, true
}
