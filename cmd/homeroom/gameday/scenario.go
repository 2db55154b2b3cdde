package gameday

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// scenario drives one load shape against the node through r. It must stop
// every client it started before returning; the report is then read from
// r. Each scenario lives in a file of its own.
type scenario func(ctx context.Context, r *runner) error

// scenarios maps Config.Scenario to its implementation.
var scenarios = map[string]scenario{
	"lecture": runLecture,
	"chat":    runChat,
	"poll":    runPoll,
}

// Scenarios returns the names of the known scenarios, sorted.
func Scenarios() []string {
	names := make([]string, 0, len(scenarios))
	for name := range scenarios {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Run runs cfg's scenario against the node and reports what the students
// saw. Progress lines go to progress (nil: nowhere) about once a second.
//
// With Config.AdminKey, Run first sets the run up through the node's admin
// API: the institution and course derived from the session id (reused if
// they exist), the session, created live (an existing one is reused and
// started if scheduled), and the enrollments of the teacher, the students
// and the verifier, in bulk requests of up to 1,000. Without it, all of
// that must exist already. Every client then joins with a join token
// minted with Config.Secret.
//
// Run fails only for an invalid config, a failed admin set-up or a
// cancelled ctx; everything the node did wrong is in the report (see
// [Report.Check]), refused joins included (a wrong secret shows as close
// code 4005 in Report.Closes). A run that failed or was cancelled still
// returns the report of what happened so far.
func Run(ctx context.Context, cfg Config, progress io.Writer) (Report, error) {
	if err := cfg.Validate(); err != nil {
		return Report{}, fmt.Errorf("invalid gameday config: %w", err)
	}
	cfg = cfg.withDefaults()
	url, _ := wsURL(cfg.URL) // checked by Validate
	minter, err := identity.NewHS256Minter(cfg.Secret)
	if err != nil {
		return Report{}, fmt.Errorf("invalid gameday config: %w", err)
	}
	if progress == nil {
		progress = io.Discard
	}
	r := newRunner(cfg, url, minter, progress)

	bg, stop := context.WithCancel(context.Background())
	r.goFunc(func() { r.rss.run(bg) })
	r.goFunc(func() { r.progressLoop(bg) })
	if cfg.AdminKey != "" {
		r.setPhase("setup")
		if err = r.setup(ctx); err != nil {
			err = fmt.Errorf("failed to set up the run through the admin API: %w", err)
			r.problem("%v", err)
		}
	}
	if err == nil {
		err = scenarios[cfg.Scenario](ctx, r)
	}
	stop()
	r.wg.Wait()
	r.printProgress()
	return r.report(), err
}

// runner is the state one run shares between its scenario, its clients
// and its report.
type runner struct {
	cfg      Config
	url      string
	minter   *identity.Minter // signs every client's join token
	start    time.Time
	progress io.Writer
	phase    atomic.Pointer[string]

	// Changes the teacher sent while drawing, and what students saw of them.
	sent        *sendTimes
	changesSent atomic.Int64
	delivered   atomic.Int64 // teacher changes received, summed over students
	hist        histogram

	// The chat and poll scenarios' state; nil in other scenarios.
	chat *chatRun
	poll *pollRun

	students   []*student   // written by the scenario goroutine only
	dialing    atomic.Int64 // handshakes started
	handshakes atomic.Int64 // handshakes that succeeded
	joined     atomic.Int64 // students that received synced
	failed     atomic.Int64 // students whose join failed
	firstDial  atomic.Int64 // ns since start; -1 until the first dial
	lastJoin   atomic.Int64 // ns since start of the latest synced
	undecided  atomic.Int64 // students whose join is not decided yet
	allDecided chan struct{}

	errors     tally // error frames by code
	closes     tally // early ends of student connections by close code
	dialErrors tally // failed handshakes by reason
	badFrames  atomic.Int64

	rss *rssMeter

	mu                sync.Mutex // guards the fields below
	problems          []string
	preloaded         int   // strokes on the board before students joined
	replicas          int   // documents checked for convergence, teacher excluded
	replicasConverged int   // of them, those equal to the server's document
	teacherConverged  bool  // the teacher's document equals the server's
	idlePerStudent    int64 // server RSS growth per joined student, bytes

	wg sync.WaitGroup // every goroutine the run starts
}

func newRunner(cfg Config, url string, minter *identity.Minter, progress io.Writer) *runner {
	r := &runner{
		cfg:        cfg,
		url:        url,
		minter:     minter,
		start:      time.Now(),
		progress:   progress,
		allDecided: make(chan struct{}),
		replicas:   cfg.Replicas,
		rss:        newRSSMeter(cfg.ServerPID, cfg.MetricsURL),
	}
	r.sent = newSendTimes(r.expectedChanges())
	switch cfg.Scenario {
	case "chat":
		r.chat = newChatRun(expectedMessages(cfg))
	case "poll":
		r.poll = newPollRun()
	}
	r.firstDial.Store(-1)
	r.setPhase("start")
	return r
}

// expectedChanges is how many changes the teacher sends while drawing.
func (r *runner) expectedChanges() int {
	return int(math.Round(r.cfg.DrawRate * r.cfg.Duration.Seconds()))
}

// expectedSamples is how many latency samples one student takes: one per
// teacher change (lecture), per chat message (chat), none kept per
// student (poll: its three samples are fields of the student).
func (r *runner) expectedSamples() int {
	switch r.cfg.Scenario {
	case "chat":
		return expectedMessages(r.cfg)
	case "poll":
		return 0
	}
	return r.expectedChanges()
}

// since returns the nanoseconds elapsed since the run started, on the
// monotonic clock.
func (r *runner) since() int64 { return int64(time.Since(r.start)) }

// goFunc runs f on a goroutine the run waits for.
func (r *runner) goFunc(f func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		f()
	}()
}

func (r *runner) setPhase(p string) { r.phase.Store(&p) }

// problem records something that went wrong on the gameday side or made a
// measurement impossible; it is listed in the report.
func (r *runner) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.problems) < 50 {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

// dialErrorCount returns how many handshakes failed.
func (r *runner) dialErrorCount() int64 {
	n := 0
	for _, c := range r.dialErrors.snapshot() {
		n += c
	}
	return int64(n)
}

// earlyClose counts a student connection that ended before the run
// closed it; the first error of each kind is kept as a problem.
func (r *runner) earlyClose(reason string, err error) {
	if r.closes.add(reason) == 1 {
		r.problem("student connection ended early (%s), first seen: %v", reason, err)
	}
}

// serverError counts an error frame by its code and returns it decoded
// (the zero Error if it was malformed).
func (r *runner) serverError(payload []byte) wire.Error {
	var e wire.Error
	if err := wire.DecodeJSON(wire.TypeError, payload, &e); err != nil || e.Code == "" {
		r.errors.add("malformed")
		return wire.Error{}
	}
	r.errors.add(string(e.Code))
	return e
}

func (r *runner) dialStarted() {
	r.dialing.Add(1)
	r.firstDial.CompareAndSwap(-1, r.since())
}

func (r *runner) studentJoined(at int64) {
	r.joined.Add(1)
	for {
		last := r.lastJoin.Load()
		if at <= last || r.lastJoin.CompareAndSwap(last, at) {
			return
		}
	}
}

func (r *runner) joinDecided() {
	if r.undecided.Add(-1) == 0 {
		close(r.allDecided)
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
