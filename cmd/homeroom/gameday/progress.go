package gameday

import (
	"context"
	"fmt"
	"time"
)

// progressEvery is how often a progress line is written.
const progressEvery = time.Second

// progressLoop writes a progress line every second until ctx is done.
func (r *runner) progressLoop(ctx context.Context) {
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			r.printProgress()
		case <-ctx.Done():
			return
		}
	}
}

// printProgress writes one line: phase, joins, changes or chat messages
// sent, deliveries and the p99 latency so far (from the histogram, about
// 6% coarse), or in a poll the answers sent and acknowledged.
func (r *runner) printProgress() {
	joined := r.joined.Load()
	sent := r.changesSent.Load()
	delivered := r.delivered.Load()
	line := fmt.Sprintf("gameday %s %-7s %5.1fs  students %d/%d joined",
		r.cfg.Scenario, *r.phase.Load(), time.Since(r.start).Seconds(), joined, r.cfg.Students)
	if f := r.failed.Load(); f > 0 {
		line += fmt.Sprintf(", %d failed", f)
	}
	if dialing := r.dialing.Load() - r.handshakes.Load() - r.dialErrorCount(); dialing > 0 {
		line += fmt.Sprintf(", %d dialling", dialing)
	}
	switch {
	case r.poll != nil:
		p := r.poll
		line += fmt.Sprintf("  answers sent %d  acked %d", p.answersSent.Load(), p.answersAcked.Load())
		if n := p.retries.Load(); n > 0 {
			line += fmt.Sprintf("  retries %d", n)
		}
	case r.chat != nil:
		sent = r.chat.sent.Load()
		line += fmt.Sprintf("  messages sent %d  delivered %d", sent, delivered)
	default:
		line += fmt.Sprintf("  changes sent %d  delivered %d", sent, delivered)
	}
	if sent > 0 && joined > 0 {
		line += fmt.Sprintf(" (%.1f%%)", 100*float64(delivered)/float64(sent*joined))
	}
	if p99, n := r.hist.quantile(0.99); n > 0 {
		line += fmt.Sprintf("  p99 %s", (time.Duration(p99) * time.Microsecond).Round(100*time.Microsecond))
	}
	fmt.Fprintln(r.progress, line)
}
