package gameday

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// student is one simulated student: one WebSocket and one goroutine. A
// cheap student keeps no document; it walks the change chunks it receives
// and looks their checksums up in the teacher's send times. A replica
// student also keeps a full document for the convergence check.
type student struct {
	r       *runner
	index   int
	who     user
	replica *replica     // nil for a cheap student
	chat    *chatSeen    // what it saw of the chat; nil outside the chat scenario
	poll    *studentPoll // its poll answer; nil outside the poll scenario

	conn atomic.Pointer[websocket.Conn] // set once the handshake succeeded

	// Written by the student's goroutine, read by the runner at any time.
	joined    atomic.Bool
	stopping  atomic.Bool // the runner is closing it: not an early close
	delivered atomic.Int64
	other     atomic.Int64 // change chunks not sent by the teacher while drawing

	joinOnce  atomic.Bool // the join outcome has been reported
	joinTimer *time.Timer

	// Owned by the student's goroutine until done is closed.
	samples []uint32 // latency of each teacher change, microseconds
	sums    []uint32 // checksums of the frame being handled
	frames  [wire.TypeSynced + 1]int64
	bytes   int64 // frame payload bytes received
	done    chan struct{}
}

func newStudent(r *runner, i int, isReplica bool) *student {
	s := &student{
		r:       r,
		index:   i,
		who:     studentUser(i),
		samples: make([]uint32, 0, r.expectedSamples()),
		done:    make(chan struct{}),
	}
	if isReplica {
		s.replica = &replica{}
	}
	if r.chat != nil {
		s.chat = newChatSeen(len(r.chat.sentAt))
	}
	if r.poll != nil {
		s.poll = r.poll.newStudentPoll(i, r.cfg.PollWindow)
	}
	return s
}

// run mints its token, dials, joins and reads until the connection ends.
// dialed is called once the handshake is over, whatever its outcome, to
// free a dial slot.
func (s *student) run(ctx context.Context, dialed func()) {
	defer close(s.done)
	defer s.joinFailed() // a no-op once joined
	s.r.dialStarted()
	token, err := s.r.token(s.who)
	var conn *websocket.Conn
	if err == nil {
		conn, err = dial(ctx, s.r.url, s.r.cfg.DialTimeout, token, s.r.cfg.Session)
	} else {
		err = &dialError{reason: "token", err: err}
	}
	dialed()
	if err != nil {
		reason := "other"
		var de *dialError
		if errors.As(err, &de) {
			reason = de.reason
		}
		if s.r.dialErrors.add(reason) == 1 {
			s.r.problem("student dial failed (%s), first seen: %v", reason, err)
		}
		return
	}
	defer conn.CloseNow()
	s.conn.Store(conn)
	if s.stopping.Load() {
		return
	}
	s.r.handshakes.Add(1)
	var timedOut atomic.Bool
	s.joinTimer = time.AfterFunc(s.r.cfg.JoinTimeout, func() {
		if !s.joined.Load() {
			timedOut.Store(true)
			conn.CloseNow()
		}
	})
	defer s.joinTimer.Stop()
	stopHeartbeat := heartbeat(conn, time.Duration(rand.Int64N(int64(heartbeatEvery))))
	defer stopHeartbeat()

	err = s.readLoop()
	switch {
	case s.stopping.Load():
	case timedOut.Load():
		s.r.earlyClose("join_timeout", fmt.Errorf("no synced within %s", s.r.cfg.JoinTimeout))
	default:
		s.r.earlyClose(closeReason(err), err)
	}
}

func (s *student) readLoop() error {
	fr := newFrameReader(s.conn.Load())
	for {
		t, n, err := fr.header()
		if err != nil {
			return err
		}
		now := s.r.since()
		if t.Known() {
			s.frames[t]++
		}
		s.bytes += int64(n)
		switch t {
		case wire.TypeChanges:
			err = s.changes(fr, n, now)
		case wire.TypeApp:
			err = s.app(fr, n, now)
		case wire.TypeSnapshot:
			if s.replica == nil {
				err = fr.discard(n)
				break
			}
			var p []byte
			if p, err = fr.payload(n); err == nil {
				s.replica.load(p)
				fr.release()
			}
		case wire.TypeError:
			var p []byte
			if p, err = fr.payload(n); err == nil {
				s.refused(s.r.serverError(p))
			}
		default: // welcome, presence, synced: nothing a student keeps
			err = fr.discard(n)
			if t == wire.TypeSynced {
				fr.release()
				s.synced()
			}
		}
		if err != nil {
			return err
		}
	}
}

// changes handles one changes frame of n bytes, read at now. A cheap
// student streams through it, keeping only the chunks' checksums; a
// replica reads it whole and applies it.
func (s *student) changes(fr *frameReader, n int, now int64) error {
	var err error
	if s.replica == nil {
		s.sums, err = fr.changeSums(n, s.sums[:0])
	} else {
		s.sums, err = s.applyChanges(fr, n, s.sums[:0])
	}
	if err != nil {
		if !s.stopping.Load() { // else the run cut the frame short
			s.r.badFrames.Add(1)
		}
		return fmt.Errorf("bad changes frame from server: %w", err)
	}
	s.received(now, s.sums)
	return nil
}

func (s *student) applyChanges(fr *frameReader, n int, sums []uint32) ([]uint32, error) {
	p, err := fr.payload(n)
	if err != nil {
		return sums, err
	}
	_, chunks, err := wire.ParseChanges(p)
	if err != nil {
		return sums, err
	}
	s.replica.apply(chunks)
	for len(chunks) > 0 {
		sum, rest, err := nextChecksum(chunks)
		if err != nil {
			return sums, err
		}
		sums, chunks = append(sums, sum), rest
	}
	return sums, nil
}

// received records the change chunks of one frame, read at now: every
// change the teacher sent while drawing is a delivery and a latency
// sample; the rest (the server's roster, the preloaded board in the join
// tail) is counted as other.
func (s *student) received(now int64, sums []uint32) {
	delivered, other := int64(0), int64(0)
	for _, sum := range sums {
		at, ok := s.r.sent.lookup(sum)
		if !ok {
			other++
			continue
		}
		us := micros(time.Duration(now - at))
		s.samples = append(s.samples, us)
		s.r.hist.observe(us)
		delivered++
	}
	if delivered > 0 {
		s.delivered.Add(delivered)
		s.r.delivered.Add(delivered)
	}
	if other > 0 {
		s.other.Add(other)
	}
}

func (s *student) synced() {
	if s.joined.Swap(true) {
		return
	}
	s.joinTimer.Stop()
	s.r.studentJoined(s.r.since())
	s.reportJoin()
}

func (s *student) joinFailed() {
	if s.joined.Load() {
		return
	}
	s.r.failed.Add(1)
	s.reportJoin()
}

// reportJoin tells the runner, once, that this student's join is decided.
func (s *student) reportJoin() {
	if !s.joinOnce.Swap(true) {
		s.r.joinDecided()
	}
}

// stop closes the connection normally and waits for the goroutine. Call
// it only for a student whose run was started.
func (s *student) stop() {
	s.stopping.Store(true)
	if c := s.conn.Load(); c != nil {
		c.Close(websocket.StatusNormalClosure, "gameday finished")
	}
	<-s.done
}

// isDone reports whether the student's goroutine has ended.
func (s *student) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
