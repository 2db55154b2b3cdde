package attendance

import (
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// signal is one thing seen of a participant's client during a connection.
type signal struct {
	at   time.Time
	kind string
}

// awayPeriods returns when a participant was away within their raw
// connections conn (a union, not bridged): from an away event until the
// next active, engagement, join or reconnect event or the next connection
// of a client (a new client starts active), and, when the participant's
// heartbeats are recorded, every silence longer than AwayAfter. evs are
// the participant's events in time order; joins the start of each of
// their connections.
func awayPeriods(cfg Config, conn []span, joins []time.Time, evs []activities.Event, heartbeats bool) []span {
	sigs := make([]signal, 0, len(joins)+len(evs))
	for _, t := range joins {
		sigs = append(sigs, signal{t, activities.EventJoin})
	}
	for _, e := range evs {
		sigs = append(sigs, signal{e.At, e.Kind})
	}
	// Stable: at the same instant a connection's start comes before what
	// its client reported, so a tab that joins hidden is away.
	slices.SortStableFunc(sigs, func(a, b signal) int { return a.at.Compare(b.at) })

	var away []span
	i := 0
	for _, c := range conn {
		for i < len(sigs) && sigs[i].at.Before(c.from) {
			i++
		}
		j := i
		for j < len(sigs) && !sigs[j].at.After(c.to) {
			j++
		}
		in := sigs[i:j]
		away = append(away, reportedAway(c, in)...)
		if heartbeats {
			away = append(away, silences(c, in, cfg.AwayAfter)...)
		}
		i = j
	}
	return union(away)
}

// reportedAway follows the away/active state of one connection.
func reportedAway(c span, sigs []signal) []span {
	var out []span
	var since time.Time // start of the current away period; zero: active
	for _, s := range sigs {
		switch {
		case s.kind == activities.EventAway:
			if since.IsZero() {
				since = s.at
			}
		case s.kind == activities.EventActive, s.kind == activities.EventJoin,
			s.kind == activities.EventReconnect, isEngagement(s.kind):
			if !since.IsZero() {
				out = append(out, span{since, s.at})
				since = time.Time{}
			}
		}
	}
	if !since.IsZero() {
		out = append(out, span{since, c.to})
	}
	return out
}

// silences returns the gaps longer than awayAfter between the signs of
// life of one connection: its start and everything the participant's
// client did or reported (any event but a leave, which the server
// records), up to the connection's end.
func silences(c span, sigs []signal, awayAfter time.Duration) []span {
	var out []span
	last := c.from
	for _, s := range sigs {
		if s.kind == activities.EventLeave {
			continue
		}
		if s.at.Sub(last) > awayAfter {
			out = append(out, span{last, s.at})
		}
		if s.at.After(last) {
			last = s.at
		}
	}
	if c.to.Sub(last) > awayAfter {
		out = append(out, span{last, c.to})
	}
	return out
}
