package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// Scenario 2: students raise hands; the teacher's queue shows them in the
// order raised; the teacher lowers the first, whose button resets and who
// is told. A hidden tab shows as away in the teacher's list.
func TestBrowserHands(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-hands"
	teacher := openPage(t, c, session, "t-hands", catalog.RoleTeacher)
	ada := openPage(t, c, session, "s-ada", catalog.RoleStudent)
	bo := openPage(t, c, session, "s-bo", catalog.RoleStudent)

	ada.click("#hand")
	ada.waitFor("ada's button pressed", `homeroom.ui().handPressed && homeroom.ui().handLabel.startsWith('Hand up')`)
	teacher.waitFor("ada's hand", `homeroom.hands().length === 1`)
	bo.key("h") // the shortcut
	teacher.waitFor("both hands, ada first, in the queue panel",
		`JSON.stringify(homeroom.ui().handQueue) === '["s-ada","s-bo"]' && JSON.stringify(homeroom.hands().map(h => h.user)) === '["s-ada","s-bo"]'`)
	bo.waitFor("bo second in the queue", `homeroom.ui().handLabel === 'Hand up · 2nd'`)

	teacher.click(`button[aria-label="Raised hands: 2 (H)"]`) // opens the Hands panel
	teacher.click(`#panel-hands li[data-user="s-ada"] button`)
	ada.waitFor("ada's button reset", `!homeroom.ui().handPressed && homeroom.ui().handLabel === 'Raise hand' && !homeroom.state().handRaised`)
	ada.waitFor("ada told", `homeroom.notices().some(n => n.code === 'hand_lowered')`)
	teacher.waitFor("only bo left", `JSON.stringify(homeroom.ui().handQueue) === '["s-bo"]'`)
	bo.waitFor("bo first now", `homeroom.ui().handLabel === 'Hand up · 1st'`)

	// Bo's tab is hidden: away for the teacher; visible again: here.
	setHidden(bo, true)
	teacher.waitFor("bo away", `homeroom.participants().find(p => p.user === 's-bo')?.status === 'away'`)
	teacher.screenshot("final")
	setHidden(bo, false)
	teacher.waitFor("bo back", `homeroom.participants().find(p => p.user === 's-bo')?.status === 'here'`)
	ada.screenshot("final")
	bo.screenshot("final")
}

// setHidden makes the page believe its tab is hidden or visible (headless
// tabs are always visible), and fires visibilitychange as a browser would.
func setHidden(p *page, hidden bool) {
	p.t.Helper()
	js[bool](p, `(() => {
		Object.defineProperty(document, 'hidden', {configurable: true, get: () => `+map[bool]string{true: "true", false: "false"}[hidden]+`})
		document.dispatchEvent(new Event('visibilitychange'))
		return true
	})()`)
}

// Scenario 3: the teacher locks the board; the student cannot draw and is
// told why; a stroke forced past the page is refused by the server (reset,
// told, gone everywhere); unlocking restores drawing.
func TestBrowserLockedBoard(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-lock"
	teacher := openPage(t, c, session, "t-lock", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-lock", catalog.RoleStudent)

	teacher.click(`button[data-action="lock"]`)
	student.waitFor("the board locked", `homeroom.state().boardLocked && homeroom.ui().lockBadge.includes('locked by your teacher')`)
	teacher.waitFor("the teacher sees it locked", `homeroom.ui().lockBadge === 'Board locked for students'`)

	// Drawing is refused by the page, with a reason, and no change is sent
	// (only the cursor, as presence).
	const changesSent = `(homeroom.counters().sentByType[4] ?? 0)`
	before := js[float64](student, changesSent)
	student.draw(false, zigzag(80, 80, 6)...)
	student.waitFor("told why", `homeroom.notices().some(n => n.code === 'draw_refused' && n.text.includes('locked'))`)
	if n := len(student.board()); n != 0 {
		t.Fatalf("a locked board took %d strokes", n)
	}
	if after := js[float64](student, changesSent); after != before {
		t.Fatalf("the page sent %v changes frames while refusing to draw", after-before)
	}

	// A stroke forced past the page: the server refuses it and the copy resets.
	id := js[string](student, `homeroom.testing.forceStroke()`)
	student.waitFor("the forced stroke refused, the copy reset", `homeroom.counters().resets === 1 && homeroom.state().connection === 'live'`)
	student.waitFor("told", `homeroom.notices().some(n => n.code === 'board_locked')`)
	student.waitFor("the forced stroke gone", `!('`+id+`' in homeroom.doc().board)`)
	if _, ok := teacher.board()[id]; ok {
		t.Fatal("the teacher's board has the refused stroke")
	}

	teacher.click(`button[data-action="lock"]`)
	student.waitFor("unlocked", `!homeroom.state().boardLocked && homeroom.ui().lockBadge === ''`)
	student.draw(false, zigzag(80, 200, 8)...)
	teacher.waitFor("the student's stroke after the unlock", `Object.values(homeroom.doc().board).some(s => s.author === 's-lock')`)
	waitConverged(t, teacher, student)
	teacher.screenshot("final")
	student.screenshot("final")
}

// Refusals are never silent: an expired link, a removed student and an ended
// class each get a card saying what happened and what to do, and the page
// stops reconnecting.
func TestBrowserRefusals(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-refusals"
	c.env.Session(t, session, catalog.Settings{})
	c.env.Enroll(t, "s-late", catalog.RoleStudent)
	expired := c.env.Mint(t, identity.Claims{UserID: "s-late", Name: "Late", Role: "student", Session: session,
		ExpiresAt: time.Now().Add(-2 * time.Minute)})
	late := openURL(t, "s-late", c.url+"/s/"+session+"#token="+expired)
	late.waitFor("told the link expired", `homeroom.state().stopped?.code === 'token_expired' && homeroom.ui().stoppedCard.includes('Your join link has expired') && homeroom.state().connection === 'offline'`)
	late.screenshot("expired")

	teacher := openPage(t, c, session, "t-ref", catalog.RoleTeacher)
	gone := openPage(t, c, session, "s-gone", catalog.RoleStudent)
	stay := openPage(t, c, session, "s-stay", catalog.RoleStudent)
	teacher.waitFor("both students listed", `homeroom.participants().filter(p => p.status === 'here').length === 3`)
	teacher.click(`button[aria-label="Remove s-gone from the class"]`)
	teacher.click(`#confirm button[value="ok"]`)
	gone.waitFor("told they were removed", `homeroom.state().stopped?.code === 'removed' && homeroom.ui().stoppedCard.includes('You were removed') && homeroom.ui().connectionState === 'stopped'`)
	gone.waitFor("the kept copy forgotten", `(async () => {
		const db = await new Promise((ok, fail) => { const r = indexedDB.open('homeroom'); r.onsuccess = () => ok(r.result); r.onerror = fail })
		const n = await new Promise(ok => { const r = db.transaction('chunks').objectStore('chunks').count(); r.onsuccess = () => ok(r.result) })
		return n === 0
	})()`)
	gone.screenshot("removed")

	teacher.click(`button.end-class`)
	teacher.click(`#confirm button[value="ok"]`)
	for _, p := range []*page{teacher, stay} {
		p.waitFor("told the class ended", `homeroom.state().stopped?.code === 'session_ended' && homeroom.ui().stoppedCard.includes('This class has ended')`)
	}
	stay.screenshot("ended")
}

// The video block: the session's link beside the board; the teacher switches
// everyone to the fallback link, and the student's page shows it and says so.
func TestBrowserVideo(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-video"
	c.env.Session(t, session, catalog.Settings{})
	s, err := c.env.Catalog.GetSession(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	s.Video = catalog.Video{Provider: catalog.ProviderZoom, JoinURL: "https://zoom.example/j/123", FallbackURL: "https://backup.example/room"}
	if _, err := c.env.Catalog.PutSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	teacher := openPage(t, c, session, "t-video", catalog.RoleTeacher)
	student := openPage(t, c, session, "s-video", catalog.RoleStudent)
	student.click(`[role=tab][data-panel="video"]`)
	student.waitFor("the join link", `document.querySelector('#panel-video a[data-video-link="join"]')?.href === 'https://zoom.example/j/123'`)

	teacher.click(`[role=tab][data-panel="video"]`)
	teacher.click(`button[data-action="video-switch"]`)
	student.waitFor("the fallback link", `document.querySelector('#panel-video a[data-video-link="fallback"]')?.href === 'https://backup.example/room' &&
		homeroom.video().fallback && homeroom.notices().some(n => n.code === 'video_fallback')`)
	student.screenshot("fallback")
}
