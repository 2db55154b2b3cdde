package rooms

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/polls"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Poll error codes (docs/activities.md).
const (
	codePollClosed      = wire.CodePollClosed
	codeAlreadyAnswered = wire.CodeAlreadyAnswered
	codeBadAnswer       = wire.CodeBadAnswer
	codeNotFound        = wire.CodeNotFound
)

// keptPolls bounds the closed polls a live session keeps in memory.
const keptPolls = 32

// livePoll is one poll of a live session.
type livePoll struct {
	poll     activities.Poll
	keepLink bool // the institution keeps voters of anonymous polls
	tally    *polls.Tally
	answered map[string]string // voter → the attempt the store holds
	pending  int               // answers in the group committer
	dirty    bool              // the tally changed since it was last sent
	sentAt   time.Time         // when the tally was last sent
	closing  bool              // closed; results not computed yet
	results  []byte            // the poll_results payload, once computed
}

func (s *Session) pollOpen(m *Member, payload []byte) {
	if !Allowed(m.role, ActOpenPoll) {
		refuseFor(m, wire.CodeForbidden, "", "a %s may not open polls", m.role)
		return
	}
	var req polls.OpenRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		refuseFor(m, wire.CodeBadFrame, "", "poll_open: %v", err)
		return
	}
	p, err := req.Poll(polls.NewPollID(), s.id, m.User, time.Now())
	if err != nil {
		refuseFor(m, wire.CodeBadFrame, "", "poll_open: %v", err)
		return
	}
	// The poll is stored before anyone can answer it: answers refer to it.
	st, cfg, course := s.reg.act.store, s.reg.act.cfg, s.courseID
	s.async(func(ctx context.Context) func(*Session) {
		err := st.SavePoll(ctx, p)
		keep := err == nil && p.Anonymous && cfg.BallotLinks != nil && cfg.BallotLinks(ctx, course)
		return func(s *Session) {
			if err != nil {
				s.log.Error("failed to store a new poll", "poll", p.ID, "err", err)
				if s.isMember(m) {
					refuseFor(m, wire.CodeInternal, "", "the poll could not be saved; try again")
				}
				return
			}
			s.addPoll(&livePoll{poll: p, keepLink: keep, tally: polls.NewTally(p), answered: map[string]string{}})
			frame := appFrame(polls.Started(p))
			now := time.Now()
			for _, o := range s.members {
				o.conn.SendAt(frame, now)
			}
			s.audit(m, "poll.open", "")
		}
	})
}

func (s *Session) addPoll(lp *livePoll) {
	a := s.act
	a.polls[lp.poll.ID] = lp
	a.pollOrder = append(a.pollOrder, lp.poll.ID)
	// Forget the oldest closed polls beyond the bound.
	for len(a.pollOrder) > keptPolls {
		old := a.polls[a.pollOrder[0]]
		if old != nil && (!old.poll.Closed() || old.closing) {
			break
		}
		delete(a.polls, a.pollOrder[0])
		a.pollOrder = a.pollOrder[1:]
	}
}

// pollAnswer validates an answer, hands it to the group committer and
// acknowledges it once the store has it.
func (s *Session) pollAnswer(m *Member, payload []byte) {
	var req polls.AnswerRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		refuseFor(m, wire.CodeBadFrame, "", "poll_answer: %v", err)
		return
	}
	lp := s.act.polls[req.Poll]
	switch {
	case lp == nil:
		refuseFor(m, codeNotFound, req.AttemptID, "no poll %q in this session", req.Poll)
		return
	case !Allowed(m.role, ActAnswerPoll):
		refuseFor(m, wire.CodeForbidden, req.AttemptID, "a %s may not answer polls", m.role)
		return
	}
	voter := polls.Voter(lp.poll, m.User)
	if att, ok := lp.answered[voter]; ok && voter != "" && att == req.AttemptID {
		// A retry of a stored answer (its acknowledgement was lost) is
		// acknowledged again, even after the poll closed.
		m.conn.Send(appFrame(polls.Ack(lp.poll.ID, att)))
		return
	}
	if err := polls.Check(lp.poll, req); err != nil {
		code := codeBadAnswer
		var ae *polls.AnswerError
		if errors.As(err, &ae) {
			code = wire.Code(ae.Code)
		}
		refuseFor(m, code, req.AttemptID, "%v", err)
		return
	}
	if _, ok := lp.answered[voter]; ok {
		if !lp.poll.Changeable {
			refuseFor(m, codeAlreadyAnswered, req.AttemptID, "you have already answered this poll")
			return
		}
	}
	sub := polls.Submission(lp.poll, m.User, req, lp.keepLink, time.Now())
	err := s.reg.act.w.answers.TrySubmit(sub, func(res activities.SubmitResult, err error) {
		s.postFunc(func(s *Session) { s.answerCommitted(lp, m, sub, res, err) })
	})
	if err != nil {
		s.metrics.pollAnswer("failed")
		refuseFor(m, wire.CodeInternal, req.AttemptID, "the server is saving too many answers; send yours again")
		return
	}
	lp.pending++
}

// answerCommitted runs when the store has answered for a submission.
func (s *Session) answerCommitted(lp *livePoll, m *Member, sub activities.Submission, res activities.SubmitResult, err error) {
	lp.pending--
	defer s.maybeAggregate(lp)
	if err != nil {
		s.metrics.pollAnswer("failed")
	} else {
		s.metrics.pollAnswer(res.Outcome.String())
	}
	here := s.isMember(m)
	if err != nil {
		s.log.Warn("failed to store a poll answer", "poll", sub.Poll, "err", err)
		if here {
			refuseFor(m, wire.CodeInternal, sub.AttemptID, "your answer could not be saved; send it again")
		}
		return
	}
	switch res.Outcome {
	case activities.Stored:
		lp.answered[sub.Voter] = sub.AttemptID
		lp.tally.Add(sub.Voter, sub.Choices, sub.Text)
		lp.dirty = true
		s.engagedUser(m.User, activities.EventPollAnswer, sub.SubmittedAt)
	case activities.Duplicate:
		lp.answered[sub.Voter] = sub.AttemptID
	case activities.AlreadyAnswered:
		lp.answered[sub.Voter] = res.Existing.AttemptID
		if here {
			refuseFor(m, codeAlreadyAnswered, sub.AttemptID, "you have already answered this poll")
		}
		return
	}
	if here {
		m.conn.Send(appFrame(polls.Ack(sub.Poll, sub.AttemptID)))
	}
}

// flushTallies sends the live tally of polls that changed to the staff,
// at most every TallyInterval.
func (s *Session) flushTallies(now time.Time) {
	if s.act == nil {
		return
	}
	for _, lp := range s.act.polls {
		if !lp.dirty || now.Sub(lp.sentAt) < s.reg.act.cfg.TallyInterval {
			continue
		}
		lp.dirty, lp.sentAt = false, now
		present := 0
		for _, o := range s.members {
			if Allowed(o.role, ActAnswerPoll) {
				present++
			}
		}
		frame := appFrame(polls.TallyFrame(lp.poll, lp.tally, present))
		for _, o := range s.members {
			if Allowed(o.role, ActOpenPoll) {
				o.conn.Send(frame)
			}
		}
	}
}

type pollRef struct {
	Poll    string `json:"poll"`
	Publish bool   `json:"publish"`
}

func (s *Session) staffPoll(m *Member, payload []byte, what string) (*livePoll, pollRef, bool) {
	var req pollRef
	if err := json.Unmarshal(payload, &req); err != nil {
		refuseFor(m, wire.CodeBadFrame, "", "%s: %v", what, err)
		return nil, req, false
	}
	if !Allowed(m.role, ActOpenPoll) {
		refuseFor(m, wire.CodeForbidden, "", "a %s may not %s polls", m.role, what)
		return nil, req, false
	}
	lp := s.act.polls[req.Poll]
	if lp == nil {
		refuseFor(m, codeNotFound, "", "no poll %q in this session", req.Poll)
		return nil, req, false
	}
	return lp, req, true
}

// pollClose stops a poll taking answers. Everyone hears at once; the
// results follow once the answers in flight are committed and the
// aggregation has run.
func (s *Session) pollClose(m *Member, payload []byte) {
	lp, req, ok := s.staffPoll(m, payload, "poll_close")
	if !ok {
		return
	}
	if lp.poll.Closed() {
		refuseFor(m, codePollClosed, "", "the poll is already closed")
		return
	}
	now := time.Now()
	lp.poll.ClosedAt, lp.closing = now, true
	lp.poll.Published = lp.poll.Published || req.Publish
	frame := appFrame(polls.Closed(lp.poll.ID))
	for _, o := range s.members {
		o.conn.SendAt(frame, now)
	}
	s.audit(m, "poll.close", "")
	s.maybeAggregate(lp)
}

func (s *Session) pollPublish(m *Member, payload []byte) {
	lp, _, ok := s.staffPoll(m, payload, "poll_publish")
	if !ok {
		return
	}
	if !lp.poll.Closed() {
		refuseFor(m, wire.CodeBadFrame, "", "close the poll before publishing its results")
		return
	}
	if lp.poll.Published {
		return
	}
	lp.poll.Published = true
	s.audit(m, "poll.publish", "")
	if lp.results == nil {
		return // published when the aggregation finishes
	}
	s.sendResults(lp, false)
	s.savePoll(lp.poll)
}

// savePoll stores a poll's new state on a worker.
func (s *Session) savePoll(p activities.Poll) {
	st := s.reg.act.store
	s.async(func(ctx context.Context) func(*Session) {
		if err := st.SavePoll(ctx, p); err != nil {
			return func(s *Session) { s.log.Error("failed to store a poll", "poll", p.ID, "err", err) }
		}
		return nil
	})
}

// maybeAggregate starts the aggregation of a closed poll once no answer
// is in flight. It reads the committed answers from the store on a
// worker, so the results are exactly what was acknowledged.
func (s *Session) maybeAggregate(lp *livePoll) {
	if !lp.closing || lp.pending > 0 {
		return
	}
	lp.closing = false
	p, st := lp.poll, s.reg.act.store
	p.BallotKey = nil // the link between voters and answers ends here
	counts, texts := lp.tally.Counts(), lp.tally.Texts()
	s.async(func(ctx context.Context) func(*Session) {
		subs, err := st.Submissions(ctx, p.ID)
		var r activities.Results
		if err == nil {
			r = polls.Aggregate(p, subs, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())), time.Now())
			err = st.SaveResults(ctx, r)
		} else {
			// The store is unreachable: publish what was acknowledged,
			// which the tally counted, and keep the poll's key so a later
			// close can still be told apart. Logged below.
			r = activities.Results{Poll: p.ID, Counts: counts, Texts: texts, Correct: p.Correct, ComputedAt: time.Now()}
			for _, c := range counts {
				r.Total += c
			}
			if p.Kind == activities.KindText {
				r.Total = len(texts)
			}
		}
		if err == nil {
			err = st.SavePoll(ctx, p)
		}
		return func(s *Session) {
			if err != nil {
				s.log.Error("failed to store a poll's results", "poll", p.ID, "err", err)
			}
			lp.poll.BallotKey = nil
			lp.results = polls.ResultsFrame(r)
			s.sendResults(lp, true)
			if lp.poll.Published && !p.Published {
				// Published while the results were being computed.
				s.savePoll(lp.poll)
			}
		}
	})
}

// sendResults sends the results to the staff when just computed, and to
// everyone else once the poll is published.
func (s *Session) sendResults(lp *livePoll, toStaff bool) {
	frame := appFrame(lp.results)
	now := time.Now()
	for _, o := range s.members {
		if staff := Allowed(o.role, ActOpenPoll); staff && toStaff || !staff && lp.poll.Published {
			o.conn.SendAt(frame, now)
		}
	}
}

// pollStates is what a joining member learns about polls: the open ones
// and the results it may see.
func (s *Session) pollStates(m *Member) []json.RawMessage {
	out := []json.RawMessage{}
	staff := Allowed(m.role, ActOpenPoll)
	for _, id := range s.act.pollOrder {
		lp := s.act.polls[id]
		if lp == nil {
			continue
		}
		switch {
		case !lp.poll.Closed():
			out = append(out, polls.Started(lp.poll))
			// The member's own answer, so a reloaded page does not ask
			// again: the acknowledgement it already had.
			if att, ok := lp.answered[polls.Voter(lp.poll, m.User)]; ok {
				out = append(out, polls.Ack(lp.poll.ID, att))
			}
			if staff {
				out = append(out, polls.TallyFrame(lp.poll, lp.tally, 0))
			}
		case lp.results != nil && (lp.poll.Published || staff):
			out = append(out, lp.results)
		default:
			out = append(out, polls.Closed(lp.poll.ID))
		}
	}
	return out
}

// reloadPolls restores the polls of a session that moved to this node:
// open ones with their committed answers, closed ones with their results.
func (s *Session) reloadPolls(ctx context.Context) error {
	st := s.reg.act.store
	ps, err := st.Polls(ctx, s.id)
	if err != nil {
		return err
	}
	if len(ps) > keptPolls {
		ps = ps[len(ps)-keptPolls:]
	}
	for _, p := range ps {
		lp := &livePoll{poll: p, tally: polls.NewTally(p), answered: map[string]string{}}
		if !p.Closed() {
			subs, err := st.Submissions(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, sub := range subs {
				lp.answered[sub.Voter] = sub.AttemptID
				lp.tally.Add(sub.Voter, sub.Choices, sub.Text)
			}
		} else if r, ok, err := st.PollResults(ctx, p.ID); err != nil {
			return err
		} else if ok {
			lp.results = polls.ResultsFrame(r)
		}
		s.addPoll(lp)
	}
	return nil
}

func appFrame(payload []byte) []byte { return wire.EncodeFrame(wire.TypeApp, payload) }
