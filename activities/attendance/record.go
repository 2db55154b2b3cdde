package attendance

import (
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// facts are the measurements of one participant that the status and the
// evidence are made of.
type facts struct {
	graded bool
	// arrived: a connection overlapped the counted window, or one is open
	// now. arrival is the start of the first such connection (grace
	// merged) and departure the end of the last.
	arrived            bool
	arrival, departure time.Time
	// connectedNow: live and still connected; mayReconnect: live and
	// disconnected less than Grace ago. Either leaves the outcome open.
	connectedNow, mayReconnect bool
	connected, active          time.Duration
	// bridged counts the disconnects shorter than Grace that were merged,
	// unbridged the longer gaps between connections, within the window.
	bridged, unbridged int
	engagement         map[string]int
	// The rules that fired (set by decide): too short and too away make
	// a student absent, before late and left early are considered.
	tooShort, tooAway, late, leftEarly bool
}

func (w window) record(cfg Config, p *person) activities.AttendanceRecord {
	f := w.measure(cfg, p)
	rec := activities.AttendanceRecord{
		Session:          w.sched.Session,
		User:             p.User,
		Name:             p.Name,
		Role:             p.Role,
		ConnectedSeconds: int64(f.connected / time.Second),
		ActiveSeconds:    int64(f.active / time.Second),
		Engagement:       f.engagement,
		ComputedAt:       w.now,
		Final:            w.final,
	}
	if f.arrived {
		rec.FirstJoin = f.arrival
		if !f.connectedNow {
			rec.LastLeave = f.departure
		}
	}
	rec.Status = w.decide(cfg, &f)
	rec.Evidence = w.evidence(cfg, p, f)
	return rec
}

func (w window) measure(cfg Config, p *person) facts {
	f := facts{graded: p.Role == roleStudent, engagement: make(map[string]int, len(engagementKinds))}
	for _, k := range engagementKinds {
		f.engagement[k] = 0
	}
	for _, e := range p.evs {
		if isEngagement(e.Kind) && !e.At.Before(w.count.from) && !e.At.After(w.count.to) {
			f.engagement[e.Kind]++
		}
	}

	raw := union(p.conns)
	merged, gaps := bridge(raw, cfg.Grace)
	f.connected = total(clip(merged, w.count))
	inWindow := clip(raw, w.count)
	away := awayPeriods(cfg, raw, p.joins, p.evs, p.heartbeats)
	f.active = total(inWindow) - total(intersect(inWindow, away))
	for _, g := range gaps {
		if g.to.After(w.count.from) && g.from.Before(w.count.to) {
			f.bridged++
		}
	}

	live := !w.final
	var attended []span
	for i, s := range merged {
		current := live && p.open && i == len(merged)-1
		if current || len(clip([]span{s}, w.count)) > 0 {
			attended = append(attended, s)
		}
	}
	if len(attended) == 0 {
		return f
	}
	f.arrived = true
	f.unbridged = len(attended) - 1
	f.arrival, f.departure = attended[0].from, attended[len(attended)-1].to
	f.connectedNow = live && p.open
	f.mayReconnect = live && !p.open && w.now.Sub(f.departure) < cfg.Grace
	return f
}

// decide applies the rules in their order: absent (never joined, connected
// too little, away too much), then late, then left early, else present. A
// student both late and left early is late; the evidence names both.
func (w window) decide(cfg Config, f *facts) string {
	switch {
	case !f.arrived:
		return activities.StatusAbsent
	case !f.graded:
		return activities.StatusPresent
	}
	f.late = f.arrival.Sub(w.sched.Start) > cfg.LateAfter
	f.leftEarly = !f.pending() && w.end.Sub(f.departure) > cfg.LeftEarlyBefore
	if w.expected > 0 {
		// Someone who may still be there is judged on the time they can
		// still reach: so far plus the scheduled time left.
		possible := f.connected
		if f.pending() {
			possible += max(w.end.Sub(maxTime(w.now, w.sched.Start)), 0)
		}
		f.tooShort = float64(possible) < cfg.MinPresentShare*float64(w.expected)
	}
	if cfg.MinActiveShare > 0 && f.connected > 0 {
		f.tooAway = float64(f.active) < cfg.MinActiveShare*float64(f.connected)
	}
	switch {
	case f.tooShort, f.tooAway:
		return activities.StatusAbsent
	case f.late:
		return activities.StatusLate
	case f.leftEarly:
		return activities.StatusLeftEarly
	}
	return activities.StatusPresent
}

// pending reports whether the participant may still be in the session, so
// that leaving early cannot be decided yet.
func (f facts) pending() bool { return f.connectedNow || f.mayReconnect }
