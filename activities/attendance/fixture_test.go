package attendance

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// fixture is one recorded session in testdata: what Compute is given and
// what each participant's record must say.
type fixture struct {
	Description string `json:"description"`
	Schedule    struct {
		Session string    `json:"session"`
		Start   time.Time `json:"start"`
		End     time.Time `json:"end"`
		Started time.Time `json:"started,omitzero"`
		Ended   time.Time `json:"ended,omitzero"`
	} `json:"schedule"`
	Now   time.Time `json:"now"`
	Final bool      `json:"final"`
	// Config overrides the defaults; durations are Go duration strings.
	Config struct {
		Grace           string  `json:"grace"`
		AwayAfter       string  `json:"away_after"`
		LateAfter       string  `json:"late_after"`
		LeftEarlyBefore string  `json:"left_early_before"`
		MinPresentShare float64 `json:"min_present_share"`
		MinActiveShare  float64 `json:"min_active_share"`
	} `json:"config"`
	Roster []struct {
		User string `json:"user"`
		Name string `json:"name"`
		Role string `json:"role"`
	} `json:"roster"`
	Intervals []activities.Interval `json:"intervals"`
	Events    []activities.Event    `json:"events"`
	// Want holds, per user, the expected record; Compute must return a
	// record for exactly these users.
	Want map[string]struct {
		Status           string  `json:"status"`
		ConnectedMinutes float64 `json:"connected_minutes"`
		ActiveMinutes    float64 `json:"active_minutes"`
		// Evidence lists parts the evidence must contain.
		Evidence []string `json:"evidence"`
		// FirstJoin and LastLeave, when set, are an RFC 3339 time or
		// "zero".
		FirstJoin  string         `json:"first_join"`
		LastLeave  string         `json:"last_leave"`
		Engagement map[string]int `json:"engagement"`
	} `json:"want"`
}

func loadFixture(t *testing.T, path string) fixture {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return f
}

func (f fixture) config(t *testing.T) Config {
	t.Helper()
	d := func(s string) time.Duration {
		if s == "" {
			return 0
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("config duration %q: %v", s, err)
		}
		return v
	}
	c := Config{
		Grace:           d(f.Config.Grace),
		AwayAfter:       d(f.Config.AwayAfter),
		LateAfter:       d(f.Config.LateAfter),
		LeftEarlyBefore: d(f.Config.LeftEarlyBefore),
		MinPresentShare: f.Config.MinPresentShare,
		MinActiveShare:  f.Config.MinActiveShare,
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("fixture config: %v", err)
	}
	return c
}

func TestFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, path)
			sched := Schedule{Session: f.Schedule.Session, Start: f.Schedule.Start, End: f.Schedule.End,
				Started: f.Schedule.Started, Ended: f.Schedule.Ended}
			var roster []Participant
			for _, r := range f.Roster {
				roster = append(roster, Participant{User: r.User, Name: r.Name, Role: r.Role})
			}
			recs := Compute(f.config(t), sched, roster, f.Intervals, f.Events, f.Now, f.Final)

			seen := make(map[string]bool)
			for _, r := range recs {
				seen[r.User] = true
				want, ok := f.Want[r.User]
				if !ok {
					t.Errorf("unexpected record for %s: %+v", r.User, r)
					continue
				}
				t.Logf("%s: %s: %s", r.User, r.Status, r.Evidence)
				if r.Status != want.Status {
					t.Errorf("%s: status %s, want %s (evidence: %s)", r.User, r.Status, want.Status, r.Evidence)
				}
				checkMinutes(t, r.User, "connected", r.ConnectedSeconds, want.ConnectedMinutes)
				checkMinutes(t, r.User, "active", r.ActiveSeconds, want.ActiveMinutes)
				for _, part := range want.Evidence {
					if !strings.Contains(r.Evidence, part) {
						t.Errorf("%s: evidence %q\n\tlacks %q", r.User, r.Evidence, part)
					}
				}
				checkTime(t, r.User, "first_join", r.FirstJoin, want.FirstJoin)
				checkTime(t, r.User, "last_leave", r.LastLeave, want.LastLeave)
				for k, n := range want.Engagement {
					if r.Engagement[k] != n {
						t.Errorf("%s: engagement[%s] = %d, want %d", r.User, k, r.Engagement[k], n)
					}
				}
				if r.Session != f.Schedule.Session || r.Final != f.Final || !r.ComputedAt.Equal(f.Now) {
					t.Errorf("%s: session %q final %v computed %v, want %q %v %v", r.User, r.Session, r.Final, r.ComputedAt, f.Schedule.Session, f.Final, f.Now)
				}
			}
			for user := range f.Want {
				if !seen[user] {
					t.Errorf("no record for %s", user)
				}
			}
		})
	}
}

func checkMinutes(t *testing.T, user, what string, gotSeconds int64, wantMinutes float64) {
	t.Helper()
	if math.Abs(float64(gotSeconds)-wantMinutes*60) > 1 {
		t.Errorf("%s: %s %.4gm (%ds), want %.4gm", user, what, float64(gotSeconds)/60, gotSeconds, wantMinutes)
	}
}

func checkTime(t *testing.T, user, what string, got time.Time, want string) {
	t.Helper()
	switch want {
	case "":
	case "zero":
		if !got.IsZero() {
			t.Errorf("%s: %s %v, want zero", user, what, got)
		}
	default:
		w, err := time.Parse(time.RFC3339, want)
		if err != nil {
			t.Fatalf("%s: bad %s %q in fixture", user, what, want)
		}
		if !got.Equal(w) {
			t.Errorf("%s: %s %v, want %v", user, what, got, w)
		}
	}
}
