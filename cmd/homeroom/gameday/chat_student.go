package gameday

import (
	"context"
	"errors"
	"time"

	"github.com/coder/websocket"
)

// chatSeen is what one student saw of the chat. Owned by the student's
// goroutine; the report reads it once the student has stopped.
type chatSeen struct {
	got        []uint64 // bit i: message i of the run received
	lastSeq    int64    // highest seq received
	distinct   int64    // messages of the run received, each once
	duplicates int64    // messages of the run received again
	outOfOrder int64    // first receipts whose seq was not above lastSeq
	other      int64    // chat messages not sent by this run
}

func newChatSeen(messages int) *chatSeen {
	return &chatSeen{got: make([]uint64, (messages+63)/64)}
}

// chatMessage records a chat_message payload read at now: a delivery and
// a latency sample if it is one of the run's messages seen for the first
// time. Per receiver, seqs must increase: a message seen again is a
// duplicate, a new one whose seq is not above the last is out of order.
func (s *student) chatMessage(now int64, p []byte) {
	c, run := s.chat, s.r.chat
	seq, okSeq := jsonInt(p, "seq")
	id, okID := jsonString(p, "id")
	if !okSeq || !okID {
		s.r.badFrames.Add(1)
		return
	}
	i, ok := run.index(id)
	if !ok {
		c.other++
		return
	}
	word, bit := i/64, uint64(1)<<(i%64)
	if c.got[word]&bit != 0 {
		c.duplicates++
		return
	}
	c.got[word] |= bit
	c.distinct++
	if seq <= c.lastSeq {
		c.outOfOrder++
	} else {
		c.lastSeq = seq
	}
	us := micros(time.Duration(now - run.sentAt[i].Load()))
	s.samples = append(s.samples, us)
	s.r.hist.observe(us)
	s.delivered.Add(1)
	s.r.delivered.Add(1)
}

// sendTimeout bounds one message a student or the teacher writes.
const sendTimeout = 5 * time.Second

// send writes one message on the student's connection. Safe to call from
// any goroutine: the connection serialises writers.
func (s *student) send(ctx context.Context, msg []byte) error {
	conn := s.conn.Load()
	if conn == nil {
		return errors.New("not connected")
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageBinary, msg)
}
