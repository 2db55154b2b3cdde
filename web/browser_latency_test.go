package web_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// latencyStrokes is how many strokes the latency scenario measures.
const latencyStrokes = 20

// Scenario 6: remote stroke latency in the browser, from the teacher's
// pointer-down (the stroke's created time) to the first frame that draws the
// stroke on the student's page; both pages share this machine's clock. The
// figures are logged for docs/benchmarks.md; nothing asserts on them (a
// loaded CI machine is slower, not wrong):
//
//	go test -race -count=1 -run TestBrowserStrokeLatency -v ./web/
func TestBrowserStrokeLatency(t *testing.T) {
	c := startClassroom(t)
	const session = "browser-latency"
	teacher := openPage(t, c, session, "t-fast", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-watch", catalog.RoleStudent)

	for i := range latencyStrokes {
		x := 60 + float64(i%5)*150
		y := 60 + float64(i/5)*110
		teacher.draw(false, zigzag(x, y, 6)...)
		student.waitFor(fmt.Sprintf("stroke %d rendered", i+1), fmt.Sprintf(`homeroom.counters().remoteStrokeLatencies.length === %d`, i+1))
	}
	type sample struct {
		ID        string  `json:"id"`
		MS        float64 `json:"ms"`
		AppliedMS float64 `json:"appliedMs"`
	}
	samples := js[[]sample](student, `homeroom.counters().remoteStrokeLatencies`)
	rendered := make([]float64, len(samples))
	applied := make([]float64, len(samples))
	for i, s := range samples {
		rendered[i], applied[i] = s.MS, s.AppliedMS
	}
	slices.Sort(rendered)
	slices.Sort(applied)
	t.Logf("remote stroke latency over %d strokes, teacher pointer-down to student render: p50 %.0f ms, p95 %.0f ms, max %.0f ms; to the change applied in the student's page: p50 %.0f ms, p95 %.0f ms",
		len(rendered), percentile(rendered, 50), percentile(rendered, 95), rendered[len(rendered)-1], percentile(applied, 50), percentile(applied, 95))
	waitConverged(t, teacher, student)
	teacher.screenshot("final")
	student.screenshot("final")
}

// percentile of sorted values, nearest rank.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
