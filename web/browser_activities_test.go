package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// openNamed opens the class page for user, enrolled with role, whose token
// carries a display name (as an institution's would).
func openNamed(t *testing.T, c *classroom, session, user, name string, role catalog.Role) *page {
	t.Helper()
	c.env.Session(t, session, catalog.Settings{})
	c.env.Enroll(t, user, role)
	tok := c.env.Mint(t, identity.Claims{UserID: user, Name: name, Role: string(role), Session: session})
	p := openURL(t, user, c.url+"/s/"+session+"#token="+tok)
	p.waitFor("live", `window.homeroom?.state().connection === 'live'`)
	p.waitFor("the activities", `homeroom.ui().chatInputDisabled === false`)
	return p
}

// typeInto types text into the element a CSS selector finds, key by key.
// Its window comes to the front first: keys go to the focused window, as
// they would to the tablet in the person's hands.
func (p *page) typeInto(sel, text string) {
	p.t.Helper()
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdppage.BringToFront, cdp.Empty{})
		return err
	}), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// say types into the chat panel's input and clicks Send. (Enter sends too,
// but chromedp follows the Enter key with a separate char event, which a
// real keyboard does not, and which would leave a newline behind.)
func (p *page) say(text string) {
	p.t.Helper()
	p.typeInto(`#panel-chat .chat-input`, text)
	p.click(`#panel-chat .chat-form button[type=submit]`)
}

// tab opens a side panel by clicking its tab.
func (p *page) tab(id string) {
	p.t.Helper()
	p.click(`[role=tab][data-panel="` + id + `"]`)
}

// checkLabelled fails the test for a visible control without an accessible
// name: aria-label, its text, or a label's.
func checkLabelled(t *testing.T, p *page) {
	t.Helper()
	if bad := js[[]string](p, `[...document.querySelectorAll('button, a, input, textarea, select, [role=tab]')]
		.filter(el => !el.closest('[hidden]') && el.type !== 'hidden' &&
			!(el.getAttribute('aria-label') || el.textContent.trim() || [...(el.labels ?? [])].some(l => l.textContent.trim())))
		.map(el => el.outerHTML.slice(0, 100))`); len(bad) > 0 {
		t.Errorf("[%s] controls without a label: %q", p.name, bad)
	}
}

// Scenario 5: a student sends a chat message and answers a quiz; the teacher
// sees the message (an unread count on the closed panel) and the live tally,
// closes the quiz and publishes it; the student sees the results chart.
// Everything goes through the panels' controls.
func TestBrowserChatAndPolls(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-activities"
	teacher := openNamed(t, c, session, "t-rivera", "Ms. Rivera", catalog.RoleTeacher)
	student := openNamed(t, c, session, "s-ada", "Ada Lovelace", catalog.RoleStudent)

	// Chat: the student writes; the teacher, on another panel, has one unread.
	const question = "Is the homework due on Friday?"
	student.tab("chat")
	student.say(question)
	student.waitFor("the own echo, once, and nothing pending", fmt.Sprintf(`(() => {
		const c = homeroom.chat(), rows = homeroom.ui().chatRows
		return c.pending.length === 0 && c.messages.filter(m => m.text === %[1]q && m.user === 's-ada').length === 1 &&
			rows.filter(r => r.text === %[1]q).length === 1 && rows.every(r => !r.pending)
	})()`, question))
	teacher.waitFor("the message, unread on the chat tab", fmt.Sprintf(
		`homeroom.chat().messages.some(m => m.text === %q && m.name === 'Ada Lovelace') && homeroom.chat().unread === 1 && homeroom.ui().badges.chat === '1'`, question))
	teacher.tab("chat")
	teacher.waitFor("read once the panel is open", fmt.Sprintf(
		`homeroom.chat().unread === 0 && homeroom.ui().badges.chat === '' && homeroom.ui().chatRows.some(r => r.text === %q)`, question))
	if n := js[int](student, `homeroom.chat().unread`); n != 0 {
		t.Errorf("the student has %d unread: their own message counted", n)
	}

	// The teacher writes a quiz in the composer and opens it.
	teacher.tab("polls")
	teacher.typeInto(`#panel-polls input[aria-label="Question"]`, "What is 7 × 8?")
	teacher.typeInto(`#panel-polls input[aria-label="Option 1"]`, "54")
	teacher.typeInto(`#panel-polls input[aria-label="Option 2"]`, "56")
	teacher.click(`#panel-polls .poll-composer button.link-button`) // Add an option
	teacher.typeInto(`#panel-polls input[aria-label="Option 3"]`, "58")
	teacher.click(`#panel-polls input[aria-label="Option 2 is correct"]`)
	teacher.screenshot("composer")
	checkLabelled(t, teacher)
	teacher.click(`#panel-polls button[data-action="poll-open"]`)
	teacher.waitFor("the quiz open", `homeroom.polls().length === 1 && !homeroom.polls()[0].closed && homeroom.polls()[0].question === 'What is 7 × 8?'`)
	if !js[bool](teacher, `homeroom.state().connection === 'live' && !document.querySelector('#panel-polls .poll-composer').open`) {
		t.Error("the composer stayed open after the quiz was opened")
	}

	// The student is shown it, answers once, and is told it was received.
	student.waitFor("the quiz, waiting on the polls tab", `homeroom.polls().length === 1 &&
		JSON.stringify(homeroom.polls()[0].options) === '["54","56","58"]' && homeroom.ui().badges.polls === '1'`)
	if js[bool](student, `'correct' in homeroom.polls()[0]`) {
		t.Error("the student's poll carries the correct answer")
	}
	student.tab("polls")
	student.screenshot("question")
	checkLabelled(t, student)
	student.click(`#panel-polls .poll-card input[value="1"]`)
	student.click(`#panel-polls .poll-card button[data-action="poll-answer"]`)
	student.waitFor("the answer acknowledged", `(() => {
		const a = homeroom.polls()[0].answer, card = homeroom.ui().pollCards[0]
		return a.status === 'received' && JSON.stringify(a.choices) === '[1]' && card.answer === 'Your answer was received.' && !card.form &&
			homeroom.ui().badges.polls === ''
	})()`)
	// The teacher's tally, live.
	teacher.waitFor("the live tally", `(() => {
		const t = homeroom.polls()[0].tally
		return t && JSON.stringify(t.counts) === '[0,1,0]' && t.answered === 1 && JSON.stringify(homeroom.ui().pollCards[0].tally) === '[0,1,0]'
	})()`)
	teacher.screenshot("tally")

	// Close and publish: everyone gets the results; the student's chart shows them.
	teacher.click(`#panel-polls button[data-action="poll-close-publish"]`)
	student.waitFor("the results chart", `(() => {
		const p = homeroom.polls()[0], r = p.results
		return p.closed && r && JSON.stringify(r.counts) === '[0,1,0]' && r.total === 1 && JSON.stringify(r.correct) === '[1]' && r.correct_count === 1 &&
			JSON.stringify(homeroom.ui().pollCards[0].results) === '[0,1,0]'
	})()`)
	teacher.waitFor("the teacher's results, shown to the class", `homeroom.polls()[0].published && JSON.stringify(homeroom.ui().pollCards[0].results) === '[0,1,0]' &&
		document.querySelector('#panel-polls .poll-card').textContent.includes('The class sees these results')`)
	teacher.screenshot("final")
	student.screenshot("final")
}

// Moderation from the teacher's chat panel: a deleted message becomes a
// tombstone for the student; a muted student is told and cannot write until
// unmuted; a locked chat says why. Unread counts on the student's closed chat
// tab. Then the teacher's attendance: the student's row, here now, and the
// CSV download with that row.
func TestBrowserChatModeration(t *testing.T) {
	t.Parallel()
	c := startClassroom(t)
	const session = "browser-moderation"
	teacher := openNamed(t, c, session, "t-okafor", "Mr. Okafor", catalog.RoleTeacher)
	student := openNamed(t, c, session, "s-bo", "Bo Chen", catalog.RoleStudent)

	student.tab("chat")
	for _, text := range []string{"hi everyone", "something rude"} {
		student.say(text)
	}
	teacher.tab("chat")
	teacher.waitFor("both messages", `homeroom.chat().messages.length === 2`)
	rude := js[int](teacher, `homeroom.chat().messages.find(m => m.text === 'something rude').seq`)

	// Delete: a tombstone on the student's page.
	teacher.click(fmt.Sprintf(`#panel-chat li[data-seq="%d"] button[data-action="chat-delete"]`, rude))
	student.waitFor("the tombstone", fmt.Sprintf(`(() => {
		const m = homeroom.chat().messages.find(m => m.seq === %[1]d), row = homeroom.ui().chatRows.find(r => r.seq === %[1]d)
		return m.deleted_at && m.text === '' && row.deleted && row.text === 'Message removed by the teacher.'
	})()`, rude))

	// Mute: the student is told and cannot write; unmute gives it back.
	teacher.click(`#panel-chat li[data-seq="1"] button[data-action="mute"]`)
	student.waitFor("muted, told, the input disabled", `homeroom.chat().muted && homeroom.notices().some(n => n.code === 'muted') &&
		homeroom.ui().chatStatus === 'Your teacher has muted you in chat.' && homeroom.ui().chatInputDisabled &&
		document.querySelector('#panel-chat .chat-form button[type=submit]').disabled`)
	teacher.waitFor("the teacher sees who is muted", `homeroom.chat().mutedUsers.includes('s-bo') && document.querySelector('#panel-chat li[data-seq="1"] button[data-action="unmute"]') !== null`)
	teacher.screenshot("moderation")
	teacher.click(`#panel-chat li[data-seq="1"] button[data-action="unmute"]`)
	student.waitFor("unmuted", `!homeroom.chat().muted && homeroom.ui().chatInputDisabled === false`)

	// Unread on the student's side while the chat panel is closed.
	student.tab("people")
	teacher.say("Please keep it kind.")
	student.waitFor("one unread on the chat tab", `homeroom.chat().unread === 1 && homeroom.ui().badges.chat === '1'`)
	student.tab("chat")
	student.waitFor("read", `homeroom.ui().badges.chat === ''`)

	// What arrives while the student types does not take the text or the focus.
	student.typeInto(`#panel-chat .chat-input`, "half a")
	teacher.say("One more minute.")
	student.waitFor("the teacher's message, the draft kept", `homeroom.chat().messages.some(m => m.text === 'One more minute.') &&
		document.activeElement === document.querySelector('#panel-chat .chat-input') && document.activeElement.value === 'half a'`)
	student.say(" thought")
	teacher.waitFor("the whole thought", `homeroom.chat().messages.some(m => m.text === 'half a thought')`)

	// Lock: the student is told why and cannot write.
	teacher.click(`#panel-chat button[data-action="chat-lock"]`)
	student.waitFor("locked, told why", `homeroom.chat().locked && homeroom.chat().blocked === 'Chat is locked by your teacher.' &&
		homeroom.ui().chatStatus === 'Chat is locked by your teacher.' && homeroom.ui().chatInputDisabled &&
		homeroom.notices().some(n => n.code === 'chat_locked')`)
	teacher.waitFor("the teacher's lock button", `document.querySelector('#panel-chat button[data-action="chat-lock"]').getAttribute('aria-pressed') === 'true'`)
	student.screenshot("final")

	// Attendance: asked when the panel opens; the student is here now.
	teacher.tab("attendance")
	teacher.waitFor("the student's record", `(() => {
		const r = homeroom.attendance().records?.find(r => r.user === 's-bo')
		return r && r.name === 'Bo Chen' && r.first_join && !r.last_leave && document.querySelector('#panel-attendance tr[data-user="s-bo"]') !== null
	})()`)
	rows := download(t, teacher, `#panel-attendance button[data-action="attendance-csv"]`, "attendance-"+session+".csv")
	if got := js[int](teacher, `homeroom.attendance().downloads`); got != 1 {
		t.Errorf("downloads = %d, want 1", got)
	}
	header := []string{"user_id", "name", "role", "status", "first_join", "last_leave", "connected_minutes", "active_minutes", "chat", "poll_answers", "hands", "strokes", "evidence", "final"}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("CSV header %q, want %q", rows[0], header)
	}
	var bo []string
	for _, r := range rows[1:] {
		if r[0] == "s-bo" {
			bo = r
		}
	}
	if bo == nil {
		t.Fatalf("no row for s-bo in the CSV: %q", rows)
	}
	if bo[1] != "Bo Chen" || bo[2] != "student" || bo[4] == "" || bo[5] != "" || bo[12] == "" || bo[13] != "false" {
		t.Errorf("s-bo's row: %q", bo)
	}
	if _, err := time.Parse(time.RFC3339, bo[4]); err != nil {
		t.Errorf("first_join %q: %v", bo[4], err)
	}
	if n, err := strconv.Atoi(bo[8]); err != nil || n != 3 {
		t.Errorf("chat count %q, want 3 (the messages sent)", bo[8])
	}
	teacher.screenshot("final")
}

// download clicks a download button and returns the file's CSV rows, after
// checking the browser saved it under the wanted name.
func download(t *testing.T, p *page, sel, wantName string) [][]string {
	t.Helper()
	dir := t.TempDir()
	names := make(chan string, 1)
	done := make(chan string, 1)
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	if err := chromedp.ListenBrowser(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpbrowser.EventDownloadWillBegin:
			select {
			case names <- ev.SuggestedFilename:
			default:
			}
		case *cdpbrowser.EventDownloadProgress:
			if ev.State == cdpbrowser.DownloadProgressStateCompleted {
				select {
				case done <- ev.GUID:
				default:
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
		})
		return err
	}))
	p.click(sel)
	var name, guid string
	timeout := time.After(waitTimeout)
	for guid == "" {
		select {
		case name = <-names:
		case guid = <-done:
		case <-timeout:
			t.Fatalf("[%s] no download after clicking %s", p.name, sel)
		}
	}
	if name == "" {
		select {
		case name = <-names:
		default:
		}
	}
	if name != wantName {
		t.Errorf("[%s] downloaded %q, want %q", p.name, name, wantName)
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the download is not CSV: %v\n%s", err, b)
	}
	return rows
}

func ptr[T any](v T) *T { return &v }
