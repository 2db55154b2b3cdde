package gameday

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Report is what one run measured. With --json the command prints it as
// one JSON object. The chat and poll scenarios add their own figures
// (figures.go) at its top level.
type Report struct {
	// Scenario and Session identify the run.
	Scenario string `json:"scenario"`
	Session  string `json:"session"`
	// Students is how many students were asked to join; Connected how many
	// completed their join (received synced).
	Students           int     `json:"students"`
	Connected          int     `json:"connected"`
	ConnectSuccessRate float64 `json:"connect_success_rate"`
	// JoinSeconds runs from the first student's dial to the last initial
	// synced frame.
	JoinSeconds float64 `json:"join_seconds"`
	// PreloadStrokes were on the board before the students joined; they
	// are not part of ChangesSent.
	PreloadStrokes int `json:"preload_strokes"`
	// ChangesSent is how many changes the teacher sent while drawing.
	ChangesSent int `json:"changes_sent"`
	// DeliveredRatio is the teacher changes students received divided by
	// ChangesSent × Connected.
	DeliveredRatio float64 `json:"delivered_ratio"`
	// LatencyMS is teacher send → student receive, over every delivery.
	LatencyMS Latency `json:"latency_ms"`
	// OtherChanges counts change chunks students received that the teacher
	// did not send while drawing (server roster writes, the preloaded board
	// in the join tail), summed over students.
	OtherChanges int64 `json:"other_changes"`
	// FramesReceived counts the frames students received, by type, and
	// BytesReceived their payload bytes: the fan-out the server did.
	FramesReceived map[string]int64 `json:"frames_received"`
	BytesReceived  int64            `json:"bytes_received"`
	// Replicas is how many students kept a full document; ReplicasConverged
	// how many of them ended equal to the server's (heads and content), as
	// did the teacher if TeacherConverged.
	Replicas          int  `json:"replicas"`
	ReplicasConverged int  `json:"replicas_converged"`
	TeacherConverged  bool `json:"teacher_converged"`
	// ServerPeakRSSBytes is the server's peak resident memory during the
	// run (VmHWM with a server pid, else the highest metrics sample); 0 if
	// unknown.
	ServerPeakRSSBytes int64 `json:"server_peak_rss_bytes"`
	// ServerRSSIdlePerStudentBytes is the server's memory growth from
	// before the students joined to after (idle, before drawing), per
	// connected student; 0 if unknown.
	ServerRSSIdlePerStudentBytes int64 `json:"server_rss_idle_per_student_bytes"`
	// Closes counts student connections that ended before the run closed
	// them, by close code (1006: no close frame; join_timeout: no synced
	// within the join timeout; 4001-4010: the node refused the join, e.g.
	// 4005 for a token signed with another secret, 4003 for a user not
	// enrolled in the session's course).
	Closes map[string]int `json:"closes"`
	// Errors counts error frames received by any client, by code.
	Errors map[string]int `json:"errors"`
	// DialErrors counts failed WebSocket handshakes by reason
	// (refused, timeout, http_503, ...).
	DialErrors map[string]int `json:"dial_errors"`
	// Problems lists what went wrong on the way, in words.
	Problems []string `json:"problems,omitempty"`
	// DurationSeconds is the whole run, wall clock.
	DurationSeconds float64 `json:"duration_seconds"`

	// The chat or poll scenario's figures; nil (and absent from the JSON)
	// in other scenarios.
	*ChatFigures
	*PollFigures
}

// report builds the report. Every student must have stopped.
func (r *runner) report() Report {
	rep := Report{
		Scenario:   r.cfg.Scenario,
		Session:    r.cfg.Session,
		Students:   r.cfg.Students,
		Closes:     r.closes.snapshot(),
		Errors:     r.errors.snapshot(),
		DialErrors: r.dialErrors.snapshot(),
	}
	sent := r.changesSent.Load()
	rep.ChangesSent = int(sent)
	var samples [][]uint32
	var delivered int64
	rep.FramesReceived = map[string]int64{}
	for _, s := range r.students {
		rep.OtherChanges += s.other.Load()
		rep.BytesReceived += s.bytes
		for t, n := range s.frames {
			if n > 0 {
				rep.FramesReceived[wire.Type(t).String()] += n
			}
		}
		if !s.joined.Load() {
			continue
		}
		rep.Connected++
		delivered += min(s.delivered.Load(), sent)
		samples = append(samples, s.samples)
	}
	if rep.Students > 0 {
		rep.ConnectSuccessRate = float64(rep.Connected) / float64(rep.Students)
	}
	if first, last := r.firstDial.Load(), r.lastJoin.Load(); first >= 0 && last > first {
		rep.JoinSeconds = time.Duration(last - first).Seconds()
	}
	if sent > 0 && rep.Connected > 0 {
		rep.DeliveredRatio = float64(delivered) / float64(sent*int64(rep.Connected))
	}
	rep.LatencyMS = summarize(samples)
	if r.chat != nil {
		r.chatFigures(&rep)
	}
	if r.poll != nil {
		r.pollFigures(&rep)
	}
	if n := r.badFrames.Load(); n > 0 {
		r.problem("%d malformed frames or chunks from the server", n)
	}

	r.mu.Lock()
	rep.PreloadStrokes = r.preloaded
	rep.Replicas = r.replicas
	rep.ReplicasConverged = r.replicasConverged
	rep.TeacherConverged = r.teacherConverged
	rep.ServerRSSIdlePerStudentBytes = r.idlePerStudent
	rep.Problems = slices.Clone(r.problems)
	r.mu.Unlock()

	rep.ServerPeakRSSBytes = r.rss.peakBytes()
	rep.DurationSeconds = time.Since(r.start).Seconds()
	return rep
}

// Check returns an error describing every way the run fell short: a
// student that did not join; in a lecture, a change a student did not
// receive or a replica (or the teacher) that did not converge; in a chat,
// a message refused, missed, repeated or out of order; in a poll, a
// student that did not see the poll start or the results, an answer not
// acknowledged, or a stored answer count other than the students'. Nil
// means a clean run.
func (rep Report) Check() error {
	var errs []error
	if rep.ConnectSuccessRate < 1 {
		errs = append(errs, fmt.Errorf("%d of %d students did not join", rep.Students-rep.Connected, rep.Students))
	}
	switch {
	case rep.ChatFigures != nil:
		return errors.Join(append(errs, rep.ChatFigures.check(rep)...)...)
	case rep.PollFigures != nil:
		return errors.Join(append(errs, rep.PollFigures.check(rep)...)...)
	}
	if rep.DeliveredRatio < 1 {
		errs = append(errs, fmt.Errorf("delivered ratio %.6f < 1", rep.DeliveredRatio))
	}
	if rep.ReplicasConverged < rep.Replicas {
		errs = append(errs, fmt.Errorf("%d of %d replicas did not converge", rep.Replicas-rep.ReplicasConverged, rep.Replicas))
	}
	if !rep.TeacherConverged {
		errs = append(errs, errors.New("the teacher's document did not converge"))
	}
	return errors.Join(errs...)
}

// WriteText writes the report for people.
func (rep Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "gameday %s, session %s, %.1fs\n", rep.Scenario, rep.Session, rep.DurationSeconds)
	fmt.Fprintf(&b, "  students    %d/%d joined (%.1f%%) in %.2fs\n",
		rep.Connected, rep.Students, 100*rep.ConnectSuccessRate, rep.JoinSeconds)
	switch {
	case rep.ChatFigures != nil:
		rep.ChatFigures.writeText(&b, rep)
	case rep.PollFigures != nil:
		rep.PollFigures.writeText(&b)
	default:
		fmt.Fprintf(&b, "  board       %d strokes preloaded, %d changes drawn\n", rep.PreloadStrokes, rep.ChangesSent)
		fmt.Fprintf(&b, "  delivered   %.4f%% of changes × students (%d other changes)\n", 100*rep.DeliveredRatio, rep.OtherChanges)
		writeLatency(&b, "latency", rep.LatencyMS)
	}
	fmt.Fprintf(&b, "  received    %s in %s\n", bytesText(rep.BytesReceived), framesText(rep.FramesReceived))
	if rep.ChatFigures == nil && rep.PollFigures == nil {
		fmt.Fprintf(&b, "  converged   %d/%d replicas, teacher %v\n", rep.ReplicasConverged, rep.Replicas, rep.TeacherConverged)
	}
	fmt.Fprintf(&b, "  server RSS  peak %s, idle %s per student\n",
		orUnknown(rep.ServerPeakRSSBytes), orUnknown(rep.ServerRSSIdlePerStudentBytes))
	writeCounts(&b, "closes", rep.Closes)
	writeCounts(&b, "errors", rep.Errors)
	writeCounts(&b, "dial errors", rep.DialErrors)
	for _, p := range rep.Problems {
		fmt.Fprintf(&b, "  problem     %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCounts(b *strings.Builder, name string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(b, "  %-11s", name)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(b, " %s×%d", k, m[k])
	}
	b.WriteByte('\n')
}

// orUnknown is bytesText for a measurement where 0 means unknown.
func orUnknown(n int64) string {
	if n == 0 {
		return "unknown"
	}
	return bytesText(n)
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30 || n <= -1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20 || n <= -1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 || n <= -1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func framesText(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	if len(parts) == 0 {
		return "no frames"
	}
	return strings.Join(parts, ", ") + " frames"
}
