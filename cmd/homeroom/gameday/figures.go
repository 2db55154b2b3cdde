package gameday

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The chat and poll scenarios' own figures. Each is a pointer embedded in
// Report, so its fields sit at the top level of the JSON report and are
// left out of other scenarios' reports. The lecture's figures
// (changes_sent, preload_strokes, replicas, teacher_converged, ...) stay
// in every report and are zero in these two.

// ChatFigures are the chat scenario's figures. In a chat report,
// latency_ms is each message's delivery latency (written by the sender →
// read by a student, every student including the sender, whose copy is
// its acknowledgement) and delivered_ratio is MessagesDelivered divided
// by MessagesSent × connected.
type ChatFigures struct {
	// ChatRate is the rate asked for, messages per second across the
	// session.
	ChatRate float64 `json:"chat_rate"`
	// MessagesSent is how many chat_send frames were written;
	// MessagesRefused how many of them the server answered with an error
	// frame (by code in errors).
	MessagesSent    int64 `json:"messages_sent"`
	MessagesRefused int64 `json:"messages_refused"`
	// MessagesDelivered counts the run's messages received, once per
	// message and student, summed over students.
	MessagesDelivered int64 `json:"messages_delivered"`
	// Duplicates counts messages a student received again; OutOfOrder
	// first receipts whose seq was not above the last seq that student
	// had seen. Per receiver, seqs must increase: both are 0 in a clean
	// run.
	Duplicates int64 `json:"duplicates"`
	OutOfOrder int64 `json:"out_of_order"`
	// Gaps counts the messages sent that a joined student never received,
	// summed over students; ReceiversWithGaps is how many students missed
	// any.
	Gaps              int64 `json:"gaps"`
	ReceiversWithGaps int   `json:"receivers_with_gaps"`
}

// PollFigures are the poll scenario's figures. Every latency has one
// sample per student that received the frame.
type PollFigures struct {
	// Poll is the id of the run's poll; PollWindowSeconds the window in
	// which the students answered, from when poll_open was written.
	Poll              string  `json:"poll"`
	PollWindowSeconds float64 `json:"poll_window_seconds"`
	// StartedLatencyMS runs from the teacher writing poll_open to a
	// student reading poll_started: it includes storing the poll, which
	// the server does before announcing it.
	StartedLatencyMS Latency `json:"started_latency_ms"`
	// AckLatencyMS runs from a student first writing its answer to
	// reading its poll_ack, retries included: the server acknowledges
	// only what the store has committed.
	AckLatencyMS Latency `json:"ack_latency_ms"`
	// ResultsLatencyMS runs from the teacher writing poll_close (publish
	// true) to a student reading poll_results.
	ResultsLatencyMS Latency `json:"results_latency_ms"`
	// AnswersSent is how many students sent an answer (retries aside);
	// AnswersAcked how many of them received its poll_ack.
	AnswersSent  int64 `json:"answers_sent"`
	AnswersAcked int64 `json:"answers_acked"`
	// AnswersStored is how many answers the store holds for the poll,
	// counted after the run through the admin API
	// (GET /admin/sessions/{id}/polls); null when unknown (no admin key).
	AnswersStored *int64 `json:"answers_stored"`
	// ResultsTotal is the total of the poll_results the teacher received;
	// null if none came.
	ResultsTotal *int64 `json:"results_total"`
	// AnswerRetries counts answers sent again with the same attempt_id
	// (after a temporary error or no ack within --answer-timeout, at most
	// 4 times per answer); AnswersRefused answers refused with a lasting
	// code (by code in errors).
	AnswerRetries  int64 `json:"answer_retries"`
	AnswersRefused int64 `json:"answers_refused"`
	// LastAckSeconds runs from poll_open to the last acknowledgement.
	LastAckSeconds float64 `json:"last_ack_seconds"`
}

// chatFigures fills in the chat figures of rep, and its delivered ratio.
func (r *runner) chatFigures(rep *Report) {
	c := r.chat
	f := &ChatFigures{ChatRate: r.cfg.ChatRate, MessagesSent: c.sent.Load(), MessagesRefused: c.refused.Load()}
	for _, s := range r.students {
		if !s.joined.Load() {
			continue
		}
		seen := s.chat
		f.MessagesDelivered += seen.distinct
		f.Duplicates += seen.duplicates
		f.OutOfOrder += seen.outOfOrder
		if gap := f.MessagesSent - seen.distinct; gap > 0 {
			f.Gaps += gap
			f.ReceiversWithGaps++
		}
	}
	if f.MessagesSent > 0 && rep.Connected > 0 {
		rep.DeliveredRatio = float64(f.MessagesDelivered) / float64(f.MessagesSent*int64(rep.Connected))
	}
	rep.ChatFigures = f
}

// pollFigures fills in the poll figures of rep.
func (r *runner) pollFigures(rep *Report) {
	p := r.poll
	f := &PollFigures{
		Poll:              p.pollID(),
		PollWindowSeconds: r.cfg.PollWindow.Seconds(),
		AnswersSent:       p.answersSent.Load(),
		AnswersAcked:      p.answersAcked.Load(),
		AnswerRetries:     p.retries.Load(),
		AnswersRefused:    p.refusals.Load(),
	}
	var started, acks, results []uint32
	for _, s := range r.students {
		started = appendSample(started, s.poll.startedUS.Load())
		acks = appendSample(acks, s.poll.ackUS.Load())
		results = appendSample(results, s.poll.resultsUS.Load())
	}
	f.StartedLatencyMS = summarize([][]uint32{started})
	f.AckLatencyMS = summarize([][]uint32{acks})
	f.ResultsLatencyMS = summarize([][]uint32{results})
	if open, last := p.openSent.Load(), p.lastAck.Load(); open > 0 && last > open {
		f.LastAckSeconds = time.Duration(last - open).Seconds()
	}
	if p.storedKnown {
		f.AnswersStored = &p.stored
	}
	if total := p.teacherTotal.Load(); total >= 0 {
		f.ResultsTotal = &total
	}
	rep.PollFigures = f
}

// appendSample appends a studentPoll latency (microseconds plus one; 0
// for none) as a sample.
func appendSample(samples []uint32, us int64) []uint32 {
	if us == 0 {
		return samples
	}
	return append(samples, uint32(us-1))
}

// check lists how a chat run fell short.
func (f *ChatFigures) check(rep Report) []error {
	var errs []error
	if f.MessagesSent == 0 {
		errs = append(errs, errors.New("no chat message was sent"))
	}
	if f.MessagesRefused > 0 {
		errs = append(errs, fmt.Errorf("%d chat messages refused", f.MessagesRefused))
	}
	if f.Gaps > 0 || rep.DeliveredRatio < 1 {
		errs = append(errs, fmt.Errorf("%d chat messages missed by %d students (delivered ratio %.6f)", f.Gaps, f.ReceiversWithGaps, rep.DeliveredRatio))
	}
	if f.Duplicates > 0 || f.OutOfOrder > 0 {
		errs = append(errs, fmt.Errorf("%d duplicate and %d out-of-order chat messages", f.Duplicates, f.OutOfOrder))
	}
	return errs
}

// check lists how a poll run fell short.
func (f *PollFigures) check(rep Report) []error {
	var errs []error
	want := int64(rep.Connected)
	if f.StartedLatencyMS.Samples < rep.Connected {
		errs = append(errs, fmt.Errorf("%d of %d students saw the poll start", f.StartedLatencyMS.Samples, rep.Connected))
	}
	if f.AnswersSent < want || f.AnswersAcked < f.AnswersSent {
		errs = append(errs, fmt.Errorf("%d answers sent and %d acknowledged by %d students", f.AnswersSent, f.AnswersAcked, want))
	}
	switch {
	case f.AnswersStored == nil:
		errs = append(errs, errors.New("answers stored unknown (needs --admin-key)"))
	case *f.AnswersStored != want:
		errs = append(errs, fmt.Errorf("%d answers stored for %d students", *f.AnswersStored, want))
	}
	if f.ResultsLatencyMS.Samples < rep.Connected {
		errs = append(errs, fmt.Errorf("%d of %d students received the results", f.ResultsLatencyMS.Samples, rep.Connected))
	}
	return errs
}

// writeText writes the chat lines of the text report.
func (f *ChatFigures) writeText(b *strings.Builder, rep Report) {
	fmt.Fprintf(b, "  chat        %d messages sent at %g/s, %d refused\n", f.MessagesSent, f.ChatRate, f.MessagesRefused)
	fmt.Fprintf(b, "  delivered   %.4f%% of messages × students; %d missed (by %d students), %d duplicates, %d out of order\n",
		100*rep.DeliveredRatio, f.Gaps, f.ReceiversWithGaps, f.Duplicates, f.OutOfOrder)
	writeLatency(b, "latency", rep.LatencyMS)
}

// writeText writes the poll lines of the text report.
func (f *PollFigures) writeText(b *strings.Builder) {
	stored := "unknown"
	if f.AnswersStored != nil {
		stored = fmt.Sprint(*f.AnswersStored)
	}
	fmt.Fprintf(b, "  poll        %s, window %gs: %d answers sent, %d acknowledged (last %.2fs after open), %s stored\n",
		f.Poll, f.PollWindowSeconds, f.AnswersSent, f.AnswersAcked, f.LastAckSeconds, stored)
	fmt.Fprintf(b, "  retries     %d answers sent again, %d refused\n", f.AnswerRetries, f.AnswersRefused)
	writeLatency(b, "started", f.StartedLatencyMS)
	writeLatency(b, "acked", f.AckLatencyMS)
	writeLatency(b, "results", f.ResultsLatencyMS)
}

func writeLatency(b *strings.Builder, name string, l Latency) {
	fmt.Fprintf(b, "  %-11s p50 %.1fms  p95 %.1fms  p99 %.1fms  max %.1fms  (%d samples)\n",
		name, l.P50, l.P95, l.P99, l.Max, l.Samples)
}
