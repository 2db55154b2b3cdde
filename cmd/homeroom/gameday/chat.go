package gameday

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// runChat is the chat scenario: the students join, then random students
// chat at Config.ChatRate messages per second for Config.Duration, and
// every student measures each message's delivery to it.
//
//	settle, RSS → students join → settle, RSS → chat → quiet (all
//	delivered) → close
func runChat(ctx context.Context, r *runner) error {
	r.joinMeasured(ctx)
	if ctx.Err() == nil && r.joined.Load() > 0 {
		r.setPhase("chat")
		r.chatter(ctx)
		r.setPhase("quiet")
		c := r.chat
		r.waitDelivered(ctx, func() int64 { return c.sent.Load() - c.refused.Load() }, "chat messages", r.cfg.QuietTimeout)
	}
	r.setPhase("close")
	r.stopStudents()
	return ctx.Err()
}

// expectedMessages is how many chat messages a chat run sends.
func expectedMessages(cfg Config) int {
	return int(math.Round(cfg.ChatRate * cfg.Duration.Seconds()))
}

// chatSpacing is the least time between two messages of one student: the
// server lets a student send 1 message per second (with a burst of 5,
// which the run leaves alone).
const chatSpacing = time.Second

// chatRun is what the chat scenario's sender and its students share.
// Message i of the run has the client id prefix+i; receivers look its
// send time up by that number, so a message is identified by its own id,
// not by its text or by the server's sequence number.
type chatRun struct {
	prefix      string         // "gd-<random>-": this run's client message ids
	sentAt      []atomic.Int64 // when message i was written, ns since the run's start; 0 if not
	sent        atomic.Int64   // messages written to the server
	refused     atomic.Int64   // messages the server answered with an error frame
	writeErrors atomic.Int64   // messages whose write failed
}

func newChatRun(messages int) *chatRun {
	return &chatRun{prefix: "gd-" + randomHex(4) + "-", sentAt: make([]atomic.Int64, messages)}
}

// ours reports whether a client message id is one of this run's.
func (c *chatRun) ours(id string) bool {
	return len(id) > len(c.prefix) && id[:len(c.prefix)] == c.prefix
}

// index returns the number of this run's message with client id id.
func (c *chatRun) index(id []byte) (int, bool) {
	if len(id) <= len(c.prefix) || string(id[:len(c.prefix)]) != c.prefix {
		return 0, false
	}
	rest := id[len(c.prefix):]
	n, ok := parseUint(rest)
	if !ok || len(rest) > 9 || n >= int64(len(c.sentAt)) {
		return 0, false
	}
	return int(n), true
}

// chatSend is the chat_send frame of docs/activities.md.
type chatSend struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Text string `json:"text"`
	To   string `json:"to"`
}

// frame returns the app frame of message i, sent by from.
func (c *chatRun) frame(i int, from user) []byte {
	b, _ := json.Marshal(chatSend{ // fixed strings: never fails
		Type: "chat_send",
		ID:   c.prefix + strconv.Itoa(i),
		Text: fmt.Sprintf("gameday message %d from %s", i, from.name),
	})
	return wire.EncodeFrame(wire.TypeApp, b)
}

// chatter sends the run's messages at Config.ChatRate, each from a random
// joined student that has not sent within chatSpacing. A message finding
// no such student waits for one; its latency still counts from when it
// was actually written.
func (r *runner) chatter(ctx context.Context) {
	c := r.chat
	var senders []*student
	for _, s := range r.students {
		if s.joined.Load() {
			senders = append(senders, s)
		}
	}
	last := make([]int64, len(senders)) // each sender's last send, ns since start; owned here
	for k := range last {
		last[k] = math.MinInt64 / 2
	}
	interval := time.Duration(float64(time.Second) / r.cfg.ChatRate)
	start := time.Now()
	late := 0
	for i := range c.sentAt {
		if sleep(ctx, time.Until(start.Add(time.Duration(i)*interval))) != nil {
			return
		}
		k, waited := -1, false
		for {
			var alive bool
			if k, alive = pickSender(senders, last, r.since()); k >= 0 {
				break
			}
			if !alive {
				r.problem("chat stopped after %d of %d messages: every student's connection ended", i, len(c.sentAt))
				return
			}
			waited = true
			if sleep(ctx, 10*time.Millisecond) != nil {
				return
			}
		}
		if waited {
			late++
		}
		s := senders[k]
		frame := c.frame(i, s.who)
		at := r.since()
		last[k] = at
		c.sentAt[i].Store(at)
		if err := s.send(ctx, frame); err != nil {
			if c.writeErrors.Add(1) == 1 {
				r.problem("failed to send a chat message, first seen: %v", err)
			}
			continue
		}
		c.sent.Add(1)
	}
	if late > 0 {
		r.problem("%d chat messages waited for a student that had not sent within %s (raise --students or lower --chat-rate)", late, chatSpacing)
	}
}

// pickSender returns the index of a random sender whose connection is
// open and who last sent at least chatSpacing before now, or -1; alive
// reports whether any sender's connection is still open.
func pickSender(senders []*student, last []int64, now int64) (k int, alive bool) {
	n := len(senders)
	if n == 0 {
		return -1, false
	}
	ready := func(k int) bool { return now-last[k] >= int64(chatSpacing) && !senders[k].isDone() }
	for range 32 {
		if k := rand.IntN(n); ready(k) {
			return k, true
		}
	}
	from := rand.IntN(n)
	for j := range n {
		k := (from + j) % n
		if ready(k) {
			return k, true
		}
		alive = alive || !senders[k].isDone()
	}
	return -1, alive
}
