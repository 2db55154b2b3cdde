package attendance

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// evidence writes the sentence that says why a record has its status,
// naming the numbers and thresholds that decided it, e.g. "joined 12m
// after start (late after 5m); stayed to the end; connected 41m of 50m
// (82%); active 38m; 3 chat messages, 1 poll answer".
func (w window) evidence(cfg Config, p *person, f facts) string {
	var c []string
	if !f.graded {
		c = append(c, p.Role+", not graded")
	}
	switch {
	case f.arrived:
		c = append(c, w.arrivalClause(cfg, f), w.departureClause(cfg, f),
			w.connectedClause(cfg, f), activeClause(cfg, f))
	case len(union(p.conns)) > 0:
		c = append(c, "never joined during the session (connected only outside it)")
	case w.final:
		c = append(c, "never joined")
	default:
		c = append(c, "has not joined")
	}
	if f.arrived || engaged(f.engagement) {
		c = append(c, engagementClause(f.engagement))
	}
	if !p.listed {
		c = append(c, "not on the roster")
	}
	return strings.Join(c, "; ")
}

func (w window) arrivalClause(cfg Config, f facts) string {
	d := f.arrival.Sub(w.sched.Start)
	switch {
	case d < 0:
		return "joined " + dur(-d) + " before start"
	case d == 0:
		return "joined at start"
	case f.late:
		return fmt.Sprintf("joined %s after start (late after %s)", dur(d), dur(cfg.LateAfter))
	}
	return "joined " + dur(d) + " after start"
}

func (w window) departureClause(cfg Config, f facts) string {
	switch {
	case f.connectedNow:
		return "still connected"
	case f.mayReconnect:
		return fmt.Sprintf("disconnected %s ago, may still reconnect (grace %s)", dur(w.now.Sub(f.departure)), dur(cfg.Grace))
	}
	d := w.end.Sub(f.departure)
	switch {
	case d <= 0:
		return "stayed to the end"
	case f.leftEarly:
		return fmt.Sprintf("left %s before end (left early before %s)", dur(d), dur(cfg.LeftEarlyBefore))
	}
	return "left " + dur(d) + " before end"
}

func (w window) connectedClause(cfg Config, f facts) string {
	var b strings.Builder
	b.WriteString("connected " + dur(f.connected))
	if w.expected > 0 {
		fmt.Fprintf(&b, " of %s", dur(w.expected))
		if f.pending() {
			b.WriteString(" so far")
		}
		share := percent(f.connected, w.expected)
		switch {
		case f.tooShort:
			fmt.Fprintf(&b, " (%d%%, under the %s minimum)", share, pct(cfg.MinPresentShare))
		case f.graded && f.pending() && float64(f.connected) < cfg.MinPresentShare*float64(w.expected):
			fmt.Fprintf(&b, " (%d%%, can still reach the %s minimum)", share, pct(cfg.MinPresentShare))
		default:
			fmt.Fprintf(&b, " (%d%%)", share)
		}
	}
	if f.bridged > 0 {
		fmt.Fprintf(&b, ", %s under the %s grace merged", plural(f.bridged, "disconnect", "disconnects"), dur(cfg.Grace))
	}
	if f.unbridged > 0 {
		fmt.Fprintf(&b, ", %s over the grace not counted", plural(f.unbridged, "gap", "gaps"))
	}
	return b.String()
}

func activeClause(cfg Config, f facts) string {
	s := "active " + dur(f.active)
	switch {
	case f.tooAway:
		s += fmt.Sprintf(" (%d%% of connected, under the %s minimum)", percent(f.active, f.connected), pct(cfg.MinActiveShare))
	case f.active < f.connected:
		s += fmt.Sprintf(" (%d%% of connected)", percent(f.active, f.connected))
	}
	return s
}

// engagementNames are the words for one and for several events of each
// engagement kind.
var engagementNames = map[string][2]string{
	activities.EventChat:       {"chat message", "chat messages"},
	activities.EventPollAnswer: {"poll answer", "poll answers"},
	activities.EventHand:       {"raised hand", "raised hands"},
	activities.EventStroke:     {"board stroke", "board strokes"},
}

// engagementClause lists the nonzero engagement counts, or says there was
// none.
func engagementClause(counts map[string]int) string {
	var parts []string
	for _, k := range engagementKinds {
		if n := counts[k]; n > 0 {
			parts = append(parts, plural(n, engagementNames[k][0], engagementNames[k][1]))
		}
	}
	if len(parts) == 0 {
		return "no chat, poll answers, hands or strokes"
	}
	return strings.Join(parts, ", ")
}

func engaged(counts map[string]int) bool {
	for _, n := range counts {
		if n > 0 {
			return true
		}
	}
	return false
}

// dur writes a duration to the second: 40s, 12m, 5m07s, 1h05m, 1h05m30s.
func dur(d time.Duration) string {
	d = d.Truncate(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h == 0 && m == 0:
		return strconv.Itoa(s) + "s"
	case h == 0 && s == 0:
		return strconv.Itoa(m) + "m"
	case h == 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	case s == 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
}

// percent is part of whole in whole percent, rounded down so that a share
// shown as 25% is never under a 25% minimum, and at most 100.
func percent(part, whole time.Duration) int {
	if whole <= 0 {
		return 0
	}
	return int(min(part*100/whole, 100))
}

// pct writes a share such as 0.25 as "25%".
func pct(share float64) string {
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64) + "%"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
