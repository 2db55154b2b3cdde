package gameday

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"
)

// runPoll is the poll scenario: the teacher and the students join, the
// teacher opens a single-choice poll of four options, every student
// answers once at a random moment of Config.PollWindow (retrying until
// acknowledged), the teacher closes the poll and publishes its results,
// and the answers the store holds are counted through the admin API.
//
//	teacher → settle, RSS → students join → settle, RSS → poll_open →
//	answers (window) → acks → poll_close → results → close → count
func runPoll(ctx context.Context, r *runner) error {
	r.setPhase("teacher")
	t, err := r.joinTeacher(ctx, r.poll.teacherApp)
	if err != nil {
		r.problem("%v", err)
	}
	r.joinMeasured(ctx)

	// Every joined student's answerer waits for the poll; all of them end
	// when the round is over.
	actx, stopAnswers := context.WithCancel(ctx)
	for _, s := range r.students {
		if s.joined.Load() {
			r.goFunc(func() { s.answer(actx) })
		}
	}
	if t != nil && ctx.Err() == nil && r.joined.Load() > 0 {
		r.pollRound(ctx, t)
	}
	stopAnswers()

	r.setPhase("close")
	r.stopStudents()
	if t != nil {
		t.close()
	}
	if ctx.Err() == nil && r.poll.pollID() != "" {
		r.setPhase("count")
		r.countStored(ctx)
	}
	return ctx.Err()
}

// pollOptions are the options of the run's poll.
var pollOptions = []string{"A", "B", "C", "D"}

// pollRun is what the poll scenario's teacher, students and report share.
type pollRun struct {
	question string // identifies the run's poll among a session's polls
	attempts string // prefix of the run's attempt ids

	openSent  atomic.Int64 // when poll_open was written, ns since start; 0 before
	closeSent atomic.Int64 // when poll_close was written, ns since start; 0 before
	id        atomic.Pointer[string]
	opened    chan struct{} // closed when the teacher received the poll's poll_started
	openOnce  sync.Once

	teacherTotal atomic.Int64 // total of the poll_results the teacher received; -1 before

	answersSent  atomic.Int64 // students that sent their answer (once each, retries aside)
	answersAcked atomic.Int64 // students whose answer was acknowledged
	retries      atomic.Int64 // answers sent again, same attempt_id
	refusals     atomic.Int64 // answers refused for good (a code that is not temporary)
	lastAck      atomic.Int64 // when the latest first ack arrived, ns since start

	// Written by the scenario goroutine once the students have stopped.
	stored      int64
	storedKnown bool
}

func newPollRun() *pollRun {
	p := &pollRun{
		question: "Gameday " + randomHex(4) + ": which option?",
		attempts: "a-" + randomHex(4) + "-",
		opened:   make(chan struct{}),
	}
	p.teacherTotal.Store(-1)
	return p
}

// pollID returns the id of the run's poll, "" until the teacher saw it
// open.
func (p *pollRun) pollID() string {
	if id := p.id.Load(); id != nil {
		return *id
	}
	return ""
}

// pollFrame is the part of a poll app frame gameday reads: poll is an
// object in poll_started, the poll's id in the others.
type pollFrame struct {
	Type      string          `json:"type"`
	Poll      json.RawMessage `json:"poll"`
	AttemptID string          `json:"attempt_id"`
	Results   struct {
		Total int64 `json:"total"`
	} `json:"results"`
}

// startedPoll is what gameday reads of poll_started's poll.
type startedPoll struct {
	ID       string `json:"id"`
	Question string `json:"question"`
}

// teacherApp handles the teacher's app frames: the run's poll_started
// gives the poll's id, its poll_results the total the server counted.
func (p *pollRun) teacherApp(_ int64, payload []byte) {
	var f pollFrame
	if json.Unmarshal(payload, &f) != nil {
		return
	}
	switch f.Type {
	case "poll_started":
		var sp startedPoll
		if json.Unmarshal(f.Poll, &sp) == nil && sp.Question == p.question {
			p.openOnce.Do(func() {
				p.id.Store(&sp.ID)
				close(p.opened)
			})
		}
	case "poll_results":
		var id string
		if json.Unmarshal(f.Poll, &id) == nil && id != "" && id == p.pollID() {
			p.teacherTotal.Store(f.Results.Total)
		}
	}
}

// acked counts a student's first acknowledgement, read at now.
func (p *pollRun) acked(now int64) {
	p.answersAcked.Add(1)
	for {
		last := p.lastAck.Load()
		if now <= last || p.lastAck.CompareAndSwap(last, now) {
			return
		}
	}
}

// pollOpen and pollClose are the teacher's frames (docs/activities.md).
type pollOpen struct {
	Type     string   `json:"type"`
	Kind     string   `json:"kind"`
	Question string   `json:"question"`
	Options  []string `json:"options"`
}

type pollClose struct {
	Type    string `json:"type"`
	Poll    string `json:"poll"`
	Publish bool   `json:"publish"`
}

// pollRound is the poll itself, driven by the teacher: open, let the
// window pass, wait for the acknowledgements, close with the results
// published, wait for the results to reach everyone.
func (r *runner) pollRound(ctx context.Context, t *teacher) {
	p, cfg := r.poll, r.cfg
	r.setPhase("open")
	p.openSent.Store(r.since())
	open := pollOpen{Type: "poll_open", Kind: "single", Question: p.question, Options: pollOptions}
	if err := t.sendApp(ctx, open); err != nil {
		r.problem("failed to send poll_open: %v", err)
		return
	}
	if !waitFor(ctx, p.opened, cfg.JoinTimeout) {
		r.problem("the teacher received no poll_started within %s of poll_open (errors counts the refusal, if any)", cfg.JoinTimeout)
		return
	}

	r.setPhase("answer")
	_ = sleep(ctx, time.Duration(p.openSent.Load()+int64(cfg.PollWindow)-r.since()))
	r.setPhase("acks")
	r.waitStudents(ctx, cfg.QuietTimeout, "still waited for their poll_ack", func(s *student) bool {
		return s.poll.finished.Load()
	})
	if ctx.Err() != nil {
		return
	}

	r.setPhase("close")
	p.closeSent.Store(r.since())
	if err := t.sendApp(ctx, pollClose{Type: "poll_close", Poll: p.pollID(), Publish: true}); err != nil {
		r.problem("failed to send poll_close: %v", err)
		return
	}
	r.setPhase("results")
	r.waitStudents(ctx, cfg.QuietTimeout, "received no poll_results", func(s *student) bool {
		return s.poll.resultsUS.Load() != 0
	})
	deadline := time.Now().Add(cfg.QuietTimeout)
	for p.teacherTotal.Load() < 0 && time.Now().Before(deadline) && !t.isDone() {
		if sleep(ctx, 20*time.Millisecond) != nil {
			return
		}
	}
	if p.teacherTotal.Load() < 0 {
		r.problem("the teacher received no poll_results within %s of poll_close", cfg.QuietTimeout)
	}
}

// waitFor waits until ch is closed, timeout passes or ctx is done, and
// reports whether ch was closed.
func waitFor(ctx context.Context, ch <-chan struct{}, timeout time.Duration) bool {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}
