package gameday

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
)

// setupRunner is a runner of cfg (filled in from env) that only sets up.
func setupRunner(t *testing.T, env *gatewaytest.Env, adminURL string, cfg Config) *runner {
	t.Helper()
	cfg.URL, cfg.Secret, cfg.AdminKey, cfg.AdminURL = env.URL, gatewaytest.Secret, gatewaytest.AdminKey, adminURL
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return newRunner(cfg.withDefaults(), env.URL, nil, nil)
}

// bulkCounter passes requests on to the node, counting the enrollments of
// each bulk request.
type bulkCounter struct {
	next http.Handler
	mu   sync.Mutex
	bulk []int
}

func (b *bulkCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/enrollments") {
		data, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var items []json.RawMessage
		if json.Unmarshal(data, &items) == nil {
			b.mu.Lock()
			b.bulk = append(b.bulk, len(items))
			b.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
	}
	b.next.ServeHTTP(w, r)
}

func (b *bulkCounter) sizes() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]int(nil), b.bulk...)
}

func TestSetupCreatesAndReuses(t *testing.T) {
	env := startServer(t)
	counter := &bulkCounter{next: env.Server.Handler()}
	admin := httptest.NewServer(counter)
	defer admin.Close()
	ctx := context.Background()

	cfg := Config{Session: "gd-setup", Students: 1500}
	for range 2 { // the second time, every record exists
		if err := setupRunner(t, env, admin.URL, cfg).setup(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := counter.sizes(); len(got) != 4 || got[0] != 1000 || got[1] != 502 {
		t.Errorf("bulk requests of %v enrollments; want 1000, 502 twice", got)
	}
	s, err := env.Catalog.GetSession(ctx, "gd-setup")
	if err != nil || s.State != catalog.StateLive || s.CourseID != "gd-setup.course" {
		t.Fatalf("session %+v, %v", s, err)
	}
	c, err := env.Catalog.GetCourse(ctx, s.CourseID)
	if err != nil || c.InstitutionID != "gd-setup.inst" {
		t.Fatalf("course %+v, %v", c, err)
	}
	for user, role := range map[string]catalog.Role{
		"gameday-teacher": catalog.RoleTeacher, "gameday-verifier": catalog.RoleObserver, "gameday-s1500": catalog.RoleStudent,
	} {
		if e, err := env.Catalog.GetEnrollment(ctx, s.CourseID, user); err != nil || e.Role != role {
			t.Errorf("enrollment of %s: %+v, %v; want %s", user, e, err, role)
		}
	}
}

func TestSetupExistingSession(t *testing.T) {
	env := startServer(t)
	ctx := context.Background()
	now := time.Now()
	put := func(id string, state catalog.State) {
		t.Helper()
		_, err := env.Catalog.PutSession(ctx, catalog.Session{ID: id, CourseID: gatewaytest.Course, Title: id,
			StartsAt: now, EndsAt: now.Add(time.Hour), State: state})
		if err != nil {
			t.Fatal(err)
		}
	}

	// A scheduled session of another course is started, and the users are
	// enrolled in its course.
	put("gd-scheduled", catalog.StateScheduled)
	if err := setupRunner(t, env, env.HTTP, Config{Session: "gd-scheduled", Students: 2}).setup(ctx); err != nil {
		t.Fatal(err)
	}
	if s, _ := env.Catalog.GetSession(ctx, "gd-scheduled"); s.State != catalog.StateLive {
		t.Errorf("session state %s, want live", s.State)
	}
	if _, err := env.Catalog.GetEnrollment(ctx, gatewaytest.Course, "gameday-s0002"); err != nil {
		t.Errorf("student not enrolled in the session's course: %v", err)
	}

	// An ended session cannot be used.
	put("gd-ended", catalog.StateLive)
	s, _ := env.Catalog.GetSession(ctx, "gd-ended")
	s.State = catalog.StateEnded
	if _, err := env.Catalog.PutSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	err := setupRunner(t, env, env.HTTP, Config{Session: "gd-ended", Students: 1}).setup(ctx)
	if err == nil || !strings.Contains(err.Error(), "ended") {
		t.Errorf("setup of an ended session: %v, want an error saying it ended", err)
	}
}

func TestRunWrongAdminKey(t *testing.T) {
	env := startServer(t)
	cfg := adminConfig(env)
	cfg.AdminKey = "not-the-admin-key-0123"
	cfg.Students = 2
	rep, err := Run(context.Background(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "401 unauthorized") {
		t.Fatalf("Run: %v, want a set-up error with the API's 401", err)
	}
	if rep.Connected != 0 || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "admin API") {
		t.Errorf("report %+v: want nobody joined and the set-up failure as a problem", rep)
	}
}

func TestDerivedID(t *testing.T) {
	if got := derivedID("gameday-1a2b", "course"); got != "gameday-1a2b.course" {
		t.Errorf("derivedID = %q", got)
	}
	long := strings.Repeat("s", 128)
	a, b := derivedID(long, "inst"), derivedID(long+"x", "inst")
	if len(a) > 128 || !strings.HasSuffix(a, ".inst") || a == b {
		t.Errorf("derivedID of long ids: %q, %q", a, b)
	}
}
