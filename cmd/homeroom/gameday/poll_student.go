package gameday

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// maxAnswerAttempts bounds the sends of one poll answer (the first and
// its retries, all with the same attempt_id).
const maxAnswerAttempts = 5

// studentPoll is one student's part in the poll scenario. The student's
// reader goroutine records what arrives and tells its answerer goroutine
// ([student.answer]) through the channels.
type studentPoll struct {
	offset  time.Duration // when to answer, after the teacher opened the poll
	attempt string        // the answer's attempt_id, the same on every send
	choice  int

	started  chan string     // the poll's id, from poll_started
	acked    chan struct{}   // the answer's first poll_ack
	refusals chan wire.Error // error frames answering the attempt

	firstSent atomic.Int64 // when the answer was first sent, ns since start; 0 before
	finished  atomic.Bool  // the answerer is done: acknowledged, refused, gave up or stopped

	// Latencies in microseconds plus one; 0 until received. Written by
	// the reader.
	startedUS atomic.Int64 // poll_open sent → poll_started read
	ackUS     atomic.Int64 // answer first sent → poll_ack read
	resultsUS atomic.Int64 // poll_close sent → poll_results read
}

// newStudentPoll prepares student i's answer: a random option at a random
// moment of the window, under an attempt id of its own.
func (p *pollRun) newStudentPoll(i int, window time.Duration) *studentPoll {
	return &studentPoll{
		offset:   time.Duration(rand.Int64N(int64(max(window, 1)))),
		attempt:  fmt.Sprintf("%s%d", p.attempts, i+1),
		choice:   rand.IntN(len(pollOptions)),
		started:  make(chan string, 1),
		acked:    make(chan struct{}, 1),
		refusals: make(chan wire.Error, 4),
	}
}

// latencyUS is a studentPoll latency: from → now in microseconds, plus one.
func latencyUS(now, from int64) int64 { return int64(micros(time.Duration(now-from))) + 1 }

// pollFrame records a poll app frame the student read at now.
func (s *student) pollFrame(now int64, payload []byte) {
	ps, run := s.poll, s.r.poll
	var f pollFrame
	if err := json.Unmarshal(payload, &f); err != nil {
		s.r.badFrames.Add(1)
		return
	}
	switch f.Type {
	case "poll_started":
		var sp startedPoll
		if json.Unmarshal(f.Poll, &sp) != nil || sp.Question != run.question || ps.startedUS.Load() != 0 {
			return
		}
		ps.startedUS.Store(latencyUS(now, run.openSent.Load()))
		ps.started <- sp.ID // buffered for this one send
	case "poll_ack":
		if f.AttemptID != ps.attempt || ps.ackUS.Load() != 0 {
			return // an ack of a retry, after the first
		}
		ps.ackUS.Store(latencyUS(now, ps.firstSent.Load()))
		run.acked(now)
		ps.acked <- struct{}{} // buffered for this one send
	case "poll_results":
		var id string
		if json.Unmarshal(f.Poll, &id) != nil || id != run.pollID() || ps.resultsUS.Load() != 0 {
			return
		}
		ps.resultsUS.Store(latencyUS(now, run.closeSent.Load()))
	}
}

// pollAnswer is the poll_answer frame (docs/activities.md).
type pollAnswer struct {
	Type      string `json:"type"`
	Poll      string `json:"poll"`
	AttemptID string `json:"attempt_id"`
	Choices   []int  `json:"choices"`
}

// answer is the student's answerer: it waits for the poll, then for its
// moment of the window, sends the answer and sends it again, with the
// same attempt_id, after a temporary refusal or when no poll_ack came
// within Config.AnswerTimeout, up to maxAnswerAttempts sends. It returns
// once the answer is acknowledged, refused for good, given up, or ctx is
// done.
func (s *student) answer(ctx context.Context) {
	ps, run := s.poll, s.r.poll
	defer ps.finished.Store(true)
	var id string
	select {
	case id = <-ps.started:
	case <-ctx.Done():
		return
	}
	at := run.openSent.Load() + int64(ps.offset)
	if sleep(ctx, time.Duration(at-s.r.since())) != nil {
		return
	}
	b, _ := json.Marshal(pollAnswer{Type: "poll_answer", Poll: id, AttemptID: ps.attempt, Choices: []int{ps.choice}})
	frame := wire.EncodeFrame(wire.TypeApp, b)
	run.answersSent.Add(1)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for attempt := 1; ; attempt++ {
		select {
		case <-ps.acked: // arrived during a back-off
			return
		default:
		}
		if attempt == 1 {
			ps.firstSent.Store(s.r.since())
		} else {
			run.retries.Add(1)
		}
		if err := s.send(ctx, frame); err != nil {
			if ctx.Err() == nil {
				s.r.problem("failed to send the poll answer of %s: %v", s.who.id, err)
			}
			return
		}
		timer.Reset(s.r.cfg.AnswerTimeout)
		select {
		case <-ps.acked:
			return
		case e := <-ps.refusals:
			if !e.Temporary {
				run.refusals.Add(1)
				return
			}
			// Back off a little before the retry, as a client would.
			if sleep(ctx, 100*time.Millisecond+rand.N(200*time.Millisecond)) != nil {
				return
			}
		case <-timer.C:
		case <-ctx.Done():
			return
		}
		if attempt == maxAnswerAttempts {
			return // unacknowledged: answers_sent − answers_acked counts it
		}
	}
}
