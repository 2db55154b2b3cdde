package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func TestSessionCreate(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	var s catalog.Session
	r := e.do("GET", "/admin/sessions/ses-1", nil)
	want(t, r, 200, "")
	r.decode(t, &s)
	if s.State != catalog.StateScheduled || s.CourseID != "crs-1" || !s.StartsAt.Equal(t0) || s.Settings != (catalog.Settings{}) {
		t.Fatalf("defaults: %+v", s)
	}

	// Offsets are accepted and stored in UTC; a guest session gets a token.
	r = e.do("POST", "/admin/sessions", `{
		"course_id": "crs-1", "title": "Parents' evening",
		"starts_at": "2031-09-03T18:00:00-05:00", "ends_at": "2031-09-03T19:00:00-05:00",
		"settings": {"guests_allowed": true, "board_locked": true},
		"video": {"provider": "jitsi", "join_url": "https://meet.jit.si/springfield-parents"}}`)
	want(t, r, 201, "")
	r.decode(t, &s)
	if !strings.HasPrefix(s.ID, "ses_") || s.StartsAt != time.Date(2031, 9, 3, 23, 0, 0, 0, time.UTC) {
		t.Fatalf("created %+v", s)
	}
	if !s.Settings.GuestsAllowed || !s.Settings.BoardLocked || len(s.Settings.InviteToken) < catalog.MinInviteTokenLength {
		t.Fatalf("settings %+v", s.Settings)
	}
	if s.Video.Provider != "jitsi" {
		t.Fatalf("video %+v", s.Video)
	}
	for _, a := range e.audit(s.ID) {
		if strings.Contains(a.Detail, s.Settings.InviteToken) {
			t.Fatalf("audit entry shows the invite token: %+v", a)
		}
	}
}

func TestSessionCreateErrors(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	base := func() map[string]any {
		return map[string]any{"course_id": "crs-1", "title": "T", "starts_at": t0, "ends_at": t0.Add(time.Hour)}
	}
	with := func(k string, v any) map[string]any { m := base(); m[k] = v; return m }
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		msg    string
	}{
		{"missing course", with("course_id", "crs-none"), 409, CodeConflict, `course "crs-none" does not exist`},
		{"duplicate id", with("id", "ses-1"), 409, CodeConflict, "already exists"},
		{"ends before starts", with("ends_at", t0.Add(-time.Hour)), 400, CodeInvalid, "must be after starts_at"},
		{"no schedule", map[string]any{"course_id": "crs-1", "title": "T"}, 400, CodeInvalid, "starts_at: is required"},
		{"malformed time", with("starts_at", "tomorrow 9am"), 400, CodeInvalid, "RFC 3339"},
		{"unknown state", with("state", "paused"), 400, CodeInvalid, "session.state"},
		{"bad provider", with("video", map[string]any{"provider": "skype", "join_url": "https://x.example"}), 400, CodeInvalid, "video.provider"},
		{"non-http url", with("video", map[string]any{"provider": "zoom", "join_url": "javascript:alert(1)"}), 400, CodeInvalid, "video.join_url"},
		{"short token", with("settings", map[string]any{"guests_allowed": true, "invite_token": "abc"}), 400, CodeInvalid, "invite_token"},
		{"unknown setting", with("settings", map[string]any{"mute_all": true}), 400, CodeInvalid, `unknown field "mute_all"`},
		{"setting wrong type", with("settings", map[string]any{"chat_locked": "yes"}), 400, CodeInvalid, "true or false"},
		{"long title", with("title", strings.Repeat("x", 201)), 400, CodeInvalid, "at most 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("POST", "/admin/sessions", tt.body)
			want(t, r, tt.status, tt.code)
			if !strings.Contains(r.errMessage(), tt.msg) {
				t.Fatalf("message %q does not mention %q", r.errMessage(), tt.msg)
			}
		})
	}
	var l list[catalog.Session]
	e.do("GET", "/admin/sessions", nil).decode(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("failed creates stored sessions: %+v", l.Items)
	}
}

func TestSessionLifecycle(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	events, stop := e.cat.Subscribe()
	defer stop()
	patch := func(body any) catalog.Session {
		t.Helper()
		var s catalog.Session
		r := e.do("PATCH", "/admin/sessions/ses-1", body)
		want(t, r, 200, "")
		r.decode(t, &s)
		return s
	}

	// Settings merge field by field.
	s := patch(map[string]any{"settings": map[string]any{"board_locked": true}})
	s = patch(map[string]any{"settings": map[string]any{"chat_locked": true}})
	if !s.Settings.BoardLocked || !s.Settings.ChatLocked || s.Settings.StudentCursors {
		t.Fatalf("settings after two patches: %+v", s.Settings)
	}
	expectEvent(t, events, catalog.Event{Kind: catalog.SessionChanged, CourseID: "crs-1", SessionID: "ses-1"})

	s = patch(map[string]any{"title": "Week 1: fractions", "ends_at": t0.Add(time.Hour),
		"video": map[string]any{"provider": "zoom", "join_url": "https://zoom.us/j/1?pwd=secret"}})
	if s.Title != "Week 1: fractions" || !s.EndsAt.Equal(t0.Add(time.Hour)) || s.Video.JoinURL == "" || !s.Settings.BoardLocked {
		t.Fatalf("after patch: %+v", s)
	}
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"ends_at": t0.Add(-time.Hour)}), 400, CodeInvalid)
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"state": "paused"}), 400, CodeInvalid)
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"course_id": "crs-2"}), 400, CodeInvalid)

	if s = patch(map[string]any{"state": "live"}); s.State != catalog.StateLive {
		t.Fatalf("state %s, want live", s.State)
	}
	want(t, e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"state": "scheduled"}), 409, CodeConflict)
	if s = patch(map[string]any{"state": "ended"}); s.State != catalog.StateEnded {
		t.Fatalf("state %s, want ended", s.State)
	}
	expectEvent(t, events, catalog.Event{Kind: catalog.SessionEnded, CourseID: "crs-1", SessionID: "ses-1"})
	r := e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"state": "live"})
	want(t, r, 409, CodeConflict)
	if !strings.Contains(r.errMessage(), "is ended and cannot become live") {
		t.Fatalf("message %q", r.errMessage())
	}
	// An ended session still takes its recording link.
	s = patch(map[string]any{"video": map[string]any{"recording_url": "https://zoom.us/rec/1"}})
	if s.Video.RecordingURL == "" || s.Video.JoinURL == "" {
		t.Fatalf("video %+v", s.Video)
	}
	want(t, e.do("PATCH", "/admin/sessions/nope", map[string]any{"title": "x"}), 404, CodeNotFound)

	var actions []string
	for _, a := range e.audit("ses-1") {
		actions = append(actions, a.Action+" "+a.Detail)
		if strings.Contains(a.Detail, "secret") || strings.Contains(a.Detail, "zoom.us") {
			t.Fatalf("audit shows a URL: %+v", a)
		}
	}
	wantActions := []string{
		"session.update video.recording_url",
		"session.end state=ended",
		"session.start state=live",
		"session.update title ends_at=2031-09-01T09:30:00Z video.provider=zoom video.join_url",
		"session.update chat_locked=true",
		"session.update board_locked=true",
		"session.create course=crs-1 state=scheduled",
	}
	if strings.Join(actions, "\n") != strings.Join(wantActions, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(wantActions, "\n"))
	}
}

func TestSessionInviteToken(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	var s catalog.Session
	e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"settings": map[string]any{"guests_allowed": true}}).decode(t, &s)
	first := s.Settings.InviteToken
	if !s.Settings.AdmitsGuest(first) {
		t.Fatalf("guests on, token %q", first)
	}
	// "" rotates the token while guests are allowed.
	e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"settings": map[string]any{"invite_token": ""}}).decode(t, &s)
	if s.Settings.InviteToken == "" || s.Settings.InviteToken == first {
		t.Fatalf("rotated token %q (was %q)", s.Settings.InviteToken, first)
	}
	// A chosen token is kept.
	e.do("PATCH", "/admin/sessions/ses-1", map[string]any{"settings": map[string]any{"invite_token": "parents-evening-2031"}}).decode(t, &s)
	if s.Settings.InviteToken != "parents-evening-2031" {
		t.Fatalf("token %q", s.Settings.InviteToken)
	}
	for _, a := range e.audit("ses-1") {
		if strings.Contains(a.Detail, "parents-evening") || strings.Contains(a.Detail, first) {
			t.Fatalf("audit shows the token: %+v", a)
		}
	}
}

func TestSessionList(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	want(t, e.do("POST", "/admin/courses", map[string]any{"id": "crs-2", "institution_id": "ins-1", "name": "Geometry"}), 201, "")
	for _, id := range []string{"ses-3", "ses-2"} {
		want(t, e.do("POST", "/admin/sessions", map[string]any{"id": id, "course_id": "crs-1", "title": id, "starts_at": t0, "ends_at": t0.Add(time.Hour)}), 201, "")
	}
	want(t, e.do("POST", "/admin/sessions", map[string]any{"id": "ses-0", "course_id": "crs-2", "title": "g", "starts_at": t0, "ends_at": t0.Add(time.Hour)}), 201, "")

	var l list[catalog.Session]
	e.do("GET", "/admin/sessions?course=crs-1&limit=2", nil).decode(t, &l)
	if len(l.Items) != 2 || l.Items[0].ID != "ses-1" || l.Items[1].ID != "ses-2" || l.Next != "ses-2" {
		t.Fatalf("page 1 = %+v next %q", l.Items, l.Next)
	}
	next := l.Next
	l = list[catalog.Session]{}
	e.do("GET", "/admin/sessions?course=crs-1&limit=2&after="+next, nil).decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID != "ses-3" || l.Next != "" {
		t.Fatalf("page 2 = %+v next %q", l.Items, l.Next)
	}
	e.do("GET", "/admin/sessions", nil).decode(t, &l)
	if len(l.Items) != 4 || l.Items[0].ID != "ses-0" {
		t.Fatalf("all = %+v", l.Items)
	}
	want(t, e.do("GET", "/admin/sessions/nope", nil), 404, CodeNotFound)
}

func expectEvent(t *testing.T, ch <-chan catalog.Event, want catalog.Event) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e := <-ch:
			if e == want {
				return
			}
		case <-timeout:
			t.Fatalf("no event %+v", want)
		}
	}
}
