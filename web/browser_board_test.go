package web_test

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Scenario 1: a teacher draws (a stylus, with pressure); the student's page
// has the stroke and the teacher's cursor; the student's own stroke reaches
// the teacher. Undo and redo of the teacher's stroke reach the student too.
func TestBrowserStrokesReachEveryone(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-draw"
	teacher := openPage(t, c, session, "t-rivera", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-ada", catalog.RoleStudent)

	teacher.draw(true, zigzag(60, 80, 12)...)
	teacher.waitFor("the teacher's stroke counted", `homeroom.counters().strokesDrawn === 1`)
	student.waitFor("the teacher's stroke on the student's board",
		`Object.values(homeroom.doc().board).some(s => s.author === 't-rivera' && s.points.length === 24)`)
	var mine stroke
	for _, s := range student.board() {
		mine = s
	}
	if mine.Tool != "pen" || len(mine.Pressure) != 12 || mine.Pressure[0] >= mine.Pressure[11] {
		t.Fatalf("teacher's stroke as the student has it: %+v (want a pen stroke with 12 rising pressures)", mine)
	}
	student.waitFor("the teacher's cursor", `homeroom.cursors().some(c => c.user === 't-rivera')`)

	// The student draws a rectangle (R) with the mouse.
	student.key("r")
	student.draw(false, [2]float64{300, 120}, [2]float64{360, 160}, [2]float64{420, 220})
	teacher.waitFor("the student's rectangle on the teacher's board",
		`Object.values(homeroom.doc().board).some(s => s.author === 's-ada' && s.tool === 'rect' && s.points[2] === 420 && s.points[3] === 220)`)

	// Undo (toolbar) and redo (Ctrl+Shift+Z) of the teacher's stroke.
	teacher.click(`button[aria-label="Undo (Ctrl+Z)"]`)
	student.waitFor("the teacher's undo", `!Object.values(homeroom.doc().board).some(s => s.author === 't-rivera')`)
	teacher.key("z", ctrl, shift)
	student.waitFor("the teacher's redo", `Object.values(homeroom.doc().board).filter(s => s.author === 't-rivera' && s.pressure?.length === 12).length === 1`)

	waitConverged(t, teacher, student)
	if n := len(teacher.board()); n != 2 {
		t.Fatalf("teacher's board has %d strokes, want 2", n)
	}
	teacher.screenshot("final")
	student.screenshot("final")
}

// waitConverged waits until every page has the same document heads, and
// checks that they hold the same document. Each page's heads and document
// are read together: the roster changes as people join, so heads read
// apart from the document could belong to an older one.
func waitConverged(t *testing.T, pages ...*page) {
	t.Helper()
	type state struct {
		Heads []string `json:"heads"`
		Doc   any      `json:"doc"`
	}
	read := func() []state {
		out := make([]state, len(pages))
		for i, p := range pages {
			out[i] = js[state](p, `({heads: homeroom.heads(), doc: homeroom.doc()})`)
		}
		return out
	}
	deadline := time.Now().Add(waitTimeout)
	for {
		states := read()
		same := true
		for _, s := range states[1:] {
			same = same && slices.Equal(s.Heads, states[0].Heads)
		}
		if same {
			want := mustJSON(states[0].Doc)
			for i, s := range states[1:] {
				if got := mustJSON(s.Doc); got != want {
					t.Fatalf("same heads, different documents:\n%s: %s\n%s: %s", pages[0].name, want, pages[i+1].name, got)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			for i, s := range states {
				t.Logf("[%s] heads %v", pages[i].name, s.Heads)
			}
			for _, p := range pages {
				p.screenshot("timeout")
			}
			t.Fatalf("the pages did not converge within %v", waitTimeout)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// The other tools: highlighter, text, the eraser (own strokes only for a
// student, undoable), and the teacher's clear, which asks first. Every
// control has a label.
func TestBrowserTools(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-tools"
	teacher := openPage(t, c, session, "t-tools", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-tools", catalog.RoleStudent)

	for _, p := range []*page{teacher, student} {
		if unlabeled := js[[]string](p, `[...document.querySelectorAll('button, a, input, textarea, [role=tab]')]
			.filter(el => !el.closest('[hidden]') && !(el.getAttribute('aria-label') || el.textContent.trim()))
			.map(el => el.outerHTML.slice(0, 80))`); len(unlabeled) > 0 {
			t.Errorf("[%s] controls without a label: %q", p.name, unlabeled)
		}
	}

	teacher.draw(false, zigzag(100, 300, 8)...)
	student.key("m") // highlighter
	student.draw(false, zigzag(100, 100, 8)...)
	student.key("t")
	student.draw(false, [2]float64{400, 100})
	student.waitFor("the text box", `document.activeElement?.classList.contains('text-entry')`)
	student.do(chromedp.KeyEvent("2 + 2 = 4\r"))
	teacher.waitFor("the student's highlighter and text",
		`Object.values(homeroom.doc().board).some(s => s.tool === 'highlighter' && s.author === 's-tools') &&
		 Object.values(homeroom.doc().board).some(s => s.tool === 'text' && s.text === '2 + 2 = 4')`)

	// The eraser across the highlighter and the teacher's stroke: only the
	// student's own goes.
	student.key("e")
	student.draw(false, [2]float64{130, 60}, [2]float64{130, 140}, [2]float64{130, 340})
	teacher.waitFor("the highlighter erased", `!Object.values(homeroom.doc().board).some(s => s.tool === 'highlighter')`)
	if n := len(teacher.board()); n != 2 {
		t.Fatalf("teacher's board has %d strokes after the student's erase, want 2 (the teacher's stroke and the text)", n)
	}
	student.key("z", ctrl)
	teacher.waitFor("the erase undone", `Object.values(homeroom.doc().board).some(s => s.tool === 'highlighter')`)

	teacher.click(`button[data-action="clear"]`)
	teacher.waitFor("asked first", `document.getElementById('confirm').open`)
	teacher.screenshot("confirm")
	teacher.click(`#confirm button[value="ok"]`)
	student.waitFor("the board cleared", `Object.keys(homeroom.doc().board).length === 0`)
	waitConverged(t, teacher, student)
	student.screenshot("final")
}

// A node restart: the pages say they are reconnecting, with a countdown,
// keep drawing, and are live again with nothing lost once the node is back
// (Retry now skips the wait).
func TestBrowserReconnect(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-restart"
	teacher := openPage(t, c, session, "t-restart", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-restart", catalog.RoleStudent)
	teacher.draw(false, zigzag(80, 80, 6)...)
	student.waitFor("the first stroke", `Object.keys(homeroom.doc().board).length === 1`)

	c.restart(t, func() {
		for _, p := range []*page{teacher, student} {
			p.waitFor("reconnecting with a countdown and Retry now", `homeroom.ui().connectionState === 'reconnecting' && /retrying/.test(homeroom.ui().connectionText) &&
				document.querySelector('button[aria-label="Retry connecting now"]') !== null`)
		}
		student.draw(false, zigzag(80, 200, 6)...) // drawn while the node is down
		student.waitFor("kept", `Object.keys(homeroom.doc().board).length === 2 && homeroom.state().pendingChanges > 0`)
		student.screenshot("reconnecting")
	})
	for _, p := range []*page{teacher, student} {
		// Retry now, unless the backoff already got there.
		js[bool](p, `(document.querySelector('button[aria-label="Retry connecting now"]')?.click(), true)`)
		p.waitFor("live again", `homeroom.state().connection === 'live' && homeroom.state().pendingChanges === 0`)
	}
	teacher.waitFor("the stroke drawn while down", `Object.keys(homeroom.doc().board).length === 2`)
	waitConverged(t, teacher, student)
}
