package web_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Scenario 4: a student's tablet goes offline, draws three strokes, reloads
// the page while still offline (the service worker serves the page, IndexedDB
// the board), then comes back: the teacher gets all three and both pages
// converge to the same heads.
func TestBrowserOfflineReload(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-offline"
	teacher := openPage(t, c, session, "t-off", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-tablet", catalog.RoleStudent)
	student.waitFor("the service worker controls the page", `navigator.serviceWorker.controller !== null`)

	student.offline(true)
	student.waitFor("offline shown", `homeroom.state().connection === 'reconnecting' && homeroom.ui().connectionState === 'offline'`)
	student.waitFor("the network really gone", networkDown)
	for i := range 3 {
		student.draw(false, zigzag(80, 80+float64(i)*60, 10)...)
	}
	student.waitFor("three strokes drawn", `homeroom.counters().strokesDrawn === 3 && Object.keys(homeroom.doc().board).length === 3`)
	student.waitFor("kept on the device", `!homeroom.storage().pending && JSON.stringify(homeroom.storage().savedHeads) === JSON.stringify(homeroom.heads())`)
	ids := js[[]string](student, `Object.keys(homeroom.doc().board).sort()`)
	if n := len(teacher.board()); n != 0 {
		t.Fatalf("the teacher has %d strokes while the student is offline", n)
	}

	student.do(chromedp.Reload())
	student.waitFor("the board restored from the device, still offline",
		fmt.Sprintf(`homeroom.state().restored && JSON.stringify(Object.keys(homeroom.doc().board).sort()) === %q && homeroom.state().connection !== 'live'`, mustJSON(ids)))
	student.waitFor("offline shown after the reload", `homeroom.ui().connectionState === 'offline' && homeroom.ui().connectionText.includes('kept on this device')`)
	student.waitFor("the network still gone: the page came from the service worker", networkDown+` && navigator.serviceWorker.controller !== null`)
	student.screenshot("offline")

	student.offline(false)
	student.waitFor("live again", `homeroom.state().connection === 'live' && homeroom.state().pendingChanges === 0`)
	teacher.waitFor("all three strokes", fmt.Sprintf(`JSON.stringify(Object.keys(homeroom.doc().board).sort()) === %q`, mustJSON(ids)))
	waitConverged(t, teacher, student)
	for id, s := range teacher.board() {
		if !slices.Contains(ids, id) || s.Author != "s-tablet" || len(s.Points) != 20 {
			t.Fatalf("teacher's stroke %s: %+v", id, s)
		}
	}
	teacher.screenshot("final")
	student.screenshot("final")
}

// networkDown is true in a page whose requests to the node fail.
const networkDown = `await fetch('/healthz', {cache: 'no-store'}).then(() => false, () => true)`
