package attendance

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// TestProperties computes random sessions and checks what must hold for
// any input: 0 ≤ active ≤ connected ≤ the counted window, a known status,
// a record per roster member, order and input-order independence.
func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := []string{
		activities.EventJoin, activities.EventLeave, activities.EventReconnect,
		activities.EventAway, activities.EventActive, activities.EventChat,
		activities.EventPollAnswer, activities.EventHand, activities.EventStroke,
		activities.EventAction, activities.EventVideoError, EventHeartbeat,
	}
	roles := []string{"student", "student", "student", "teacher", "observer", ""}
	users := []string{"u-a", "u-b", "u-c", "u-d", "u-e", "u-f"}
	base := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	at := func(fromMin, toMin int) time.Time { // a random instant, with fractions of a second
		return base.Add(time.Duration(fromMin)*time.Minute + time.Duration(r.Int64N(int64(toMin-fromMin)*int64(time.Minute))))
	}

	for iter := range 1500 {
		sched := Schedule{Session: "s", Start: base, End: base.Add(time.Duration(10+r.IntN(80)) * time.Minute)}
		if r.IntN(3) == 0 {
			sched.Started = at(-20, 20)
		}
		final := r.IntN(2) == 0
		now := at(-30, 150)
		if r.IntN(2) == 0 {
			sched.Ended = at(-10, 140)
			if now.Before(sched.Ended) {
				now = sched.Ended.Add(time.Duration(r.IntN(600)) * time.Second)
			}
		}
		cfg := Config{}
		if r.IntN(2) == 0 {
			cfg = Config{
				Grace:           time.Duration(r.IntN(300)) * time.Second,
				AwayAfter:       time.Duration(30+r.IntN(120)) * time.Second,
				LateAfter:       time.Duration(r.IntN(20)) * time.Minute,
				LeftEarlyBefore: time.Duration(r.IntN(20)) * time.Minute,
				MinPresentShare: r.Float64(),
				MinActiveShare:  r.Float64() * float64(r.IntN(2)),
			}
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("iteration %d: generated config: %v", iter, err)
		}

		var roster []Participant
		for _, u := range users {
			if r.IntN(2) == 0 {
				roster = append(roster, Participant{User: u, Name: "N " + u, Role: roles[r.IntN(len(roles))]})
			}
		}
		var ivs []activities.Interval
		var evs []activities.Event
		for _, u := range users {
			for range r.IntN(5) {
				iv := activities.Interval{Session: "s", User: u, Role: roles[r.IntN(len(roles))], JoinedAt: at(-30, 150)}
				switch r.IntN(4) {
				case 0: // still open
				case 1: // a leave recorded before its join
					iv.LeftAt = iv.JoinedAt.Add(-time.Duration(r.IntN(120)) * time.Second)
				default:
					iv.LeftAt = iv.JoinedAt.Add(time.Duration(r.Int64N(int64(90 * time.Minute))))
				}
				ivs = append(ivs, iv)
			}
			for range r.IntN(40) {
				evs = append(evs, activities.Event{Session: "s", User: u, Kind: kinds[r.IntN(len(kinds))], At: at(-30, 150)})
			}
		}
		slices.SortFunc(evs, func(a, b activities.Event) int { return a.At.Compare(b.At) })

		recs := Compute(cfg, sched, roster, ivs, evs, now, final)

		// The window, worked out independently of newWindow: from the
		// earlier of the scheduled and the actual start to the later of the
		// scheduled and the actual end, never past now (+1s for the
		// rounding to seconds).
		from := sched.Start
		if !sched.Started.IsZero() && sched.Started.Before(from) {
			from = sched.Started
		}
		to := now
		if !sched.Ended.IsZero() {
			to = minTime(maxTime(sched.End, sched.Ended), now)
		}
		window := max(int64(to.Sub(from)/time.Second)+1, 0)
		for i, rec := range recs {
			if rec.ActiveSeconds < 0 || rec.ActiveSeconds > rec.ConnectedSeconds || rec.ConnectedSeconds > window {
				t.Fatalf("iteration %d: %s: active %ds, connected %ds, window %ds", iter, rec.User, rec.ActiveSeconds, rec.ConnectedSeconds, window)
			}
			switch rec.Status {
			case activities.StatusPresent, activities.StatusLate, activities.StatusLeftEarly, activities.StatusAbsent:
			default:
				t.Fatalf("iteration %d: %s: status %q", iter, rec.User, rec.Status)
			}
			if rec.Evidence == "" || rec.Role == "" || len(rec.Engagement) != len(engagementKinds) {
				t.Fatalf("iteration %d: %s: incomplete record %+v", iter, rec.User, rec)
			}
			if rec.FirstJoin.IsZero() && (rec.Status != activities.StatusAbsent || rec.ConnectedSeconds != 0 || !rec.LastLeave.IsZero()) {
				t.Fatalf("iteration %d: %s: never joined but %+v", iter, rec.User, rec)
			}
			if rec.Role != roleStudent && rec.Status != activities.StatusPresent && rec.Status != activities.StatusAbsent {
				t.Fatalf("iteration %d: %s: a %s graded %s", iter, rec.User, rec.Role, rec.Status)
			}
			if i > 0 && recs[i-1].User >= rec.User {
				t.Fatalf("iteration %d: records not ordered by user: %s before %s", iter, recs[i-1].User, rec.User)
			}
		}
		for _, p := range roster {
			if !slices.ContainsFunc(recs, func(rec activities.AttendanceRecord) bool { return rec.User == p.User }) {
				t.Fatalf("iteration %d: no record for roster member %s", iter, p.User)
			}
		}

		// The order of the roster and of the intervals does not matter.
		r.Shuffle(len(ivs), func(i, j int) { ivs[i], ivs[j] = ivs[j], ivs[i] })
		r.Shuffle(len(roster), func(i, j int) { roster[i], roster[j] = roster[j], roster[i] })
		if again := Compute(cfg, sched, roster, ivs, evs, now, final); !reflect.DeepEqual(recs, again) {
			t.Fatalf("iteration %d: input order changed the records:\n%+v\n%+v", iter, recs, again)
		}
	}
}
