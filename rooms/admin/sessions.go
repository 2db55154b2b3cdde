package admin

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

type sessionCreate struct {
	ID       string           `json:"id"` // optional: generated ("ses_…") when empty
	CourseID string           `json:"course_id"`
	Title    string           `json:"title"`
	StartsAt time.Time        `json:"starts_at"`
	EndsAt   time.Time        `json:"ends_at"`
	State    catalog.State    `json:"state"` // optional: scheduled
	Settings catalog.Settings `json:"settings"`
	Video    catalog.Video    `json:"video"`
}

// sessionPatch changes only the fields it names; settings and video
// merge field by field.
type sessionPatch struct {
	Title    *string        `json:"title"`
	StartsAt *time.Time     `json:"starts_at"`
	EndsAt   *time.Time     `json:"ends_at"`
	State    *catalog.State `json:"state"`
	Settings *settingsPatch `json:"settings"`
	Video    *videoPatch    `json:"video"`
}

type settingsPatch struct {
	BoardLocked    *bool   `json:"board_locked"`
	ChatLocked     *bool   `json:"chat_locked"`
	StudentCursors *bool   `json:"student_cursors"`
	GuestsAllowed  *bool   `json:"guests_allowed"`
	InviteToken    *string `json:"invite_token"` // "" clears it; a new one is generated while guests are allowed
}

type videoPatch struct {
	Provider     *string `json:"provider"`
	JoinURL      *string `json:"join_url"`
	FallbackURL  *string `json:"fallback_url"`
	RecordingURL *string `json:"recording_url"`
}

func (h *handler) createSession(w http.ResponseWriter, r *http.Request) {
	var in sessionCreate
	if err := decode(w, r, h.cfg.MaxBodyBytes, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.ID == "" {
		in.ID = catalog.NewID(catalog.PrefixSession)
	}
	if in.State == "" {
		in.State = catalog.StateScheduled
	}
	ensureInviteToken(&in.Settings)
	out, err := h.cat.PutSession(r.Context(), catalog.Session{
		ID: in.ID, CourseID: in.CourseID, Title: in.Title, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		State: in.State, Settings: in.Settings, Video: in.Video,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.record(r, "session.create", out.ID, out.ID, fmt.Sprintf("course=%s state=%s", out.CourseID, out.State))
	w.Header().Set("Location", "/admin/sessions/"+out.ID)
	writeJSON(w, http.StatusCreated, out)
}

// listSessions lists every session, or with ?course= one course's.
func (h *handler) listSessions(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.cat.ListSessions(r.Context(), r.URL.Query().Get("course"), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, paged(items, p, func(s catalog.Session) string { return s.ID }))
}

func (h *handler) getSession(w http.ResponseWriter, r *http.Request) {
	s, err := h.cat.GetSession(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// patchSession changes a session's title, schedule, state, settings or
// video. Going live is recorded as session.start and ending as
// session.end; the catalog tells live sessions (SessionChanged,
// SessionEnded).
func (h *handler) patchSession(w http.ResponseWriter, r *http.Request) {
	var p sessionPatch
	if err := decode(w, r, h.cfg.MaxBodyBytes, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	old, out, changed, err := update(
		func() (catalog.Session, error) { return h.cat.GetSession(ctx, id) },
		p.apply,
		func(s catalog.Session) (catalog.Session, error) { return h.cat.PutSession(ctx, s) },
	)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(changed) > 0 {
		action := "session.update"
		if out.State != old.State {
			action = map[catalog.State]string{catalog.StateLive: "session.start", catalog.StateEnded: "session.end"}[out.State]
		}
		h.record(r, action, id, id, joinChanges(changed))
	}
	writeJSON(w, http.StatusOK, out)
}

// apply returns s with the patch applied and what changed, for the audit
// log (never a URL or the invite token: they may hold secrets).
func (p sessionPatch) apply(s catalog.Session) (catalog.Session, []string, error) {
	var changed []string
	if p.Title != nil && *p.Title != s.Title {
		s.Title = *p.Title
		changed = append(changed, "title")
	}
	if p.StartsAt != nil && !p.StartsAt.Equal(s.StartsAt) {
		s.StartsAt = *p.StartsAt
		changed = append(changed, "starts_at="+s.StartsAt.UTC().Format(time.RFC3339))
	}
	if p.EndsAt != nil && !p.EndsAt.Equal(s.EndsAt) {
		s.EndsAt = *p.EndsAt
		changed = append(changed, "ends_at="+s.EndsAt.UTC().Format(time.RFC3339))
	}
	if p.State != nil && *p.State != s.State {
		if !p.State.Valid() {
			return s, nil, &catalog.InvalidError{Field: "session.state", Reason: fmt.Sprintf("%q is not one of scheduled, live, ended", *p.State)}
		}
		if !catalog.CanTransition(s.State, *p.State) {
			return s, nil, fmt.Errorf("%w: session %q is %s and cannot become %s", catalog.ErrConflict, s.ID, s.State, *p.State)
		}
		s.State = *p.State
		changed = append(changed, "state="+string(s.State))
	}
	if p.Settings != nil {
		changed = p.Settings.apply(&s.Settings, changed)
	}
	if p.Video != nil {
		changed = p.Video.apply(&s.Video, changed)
	}
	return s, changed, nil
}

func (p settingsPatch) apply(s *catalog.Settings, changed []string) []string {
	flag := func(name string, dst *bool, v *bool) {
		if v != nil && *v != *dst {
			*dst = *v
			changed = append(changed, fmt.Sprintf("%s=%t", name, *v))
		}
	}
	flag("board_locked", &s.BoardLocked, p.BoardLocked)
	flag("chat_locked", &s.ChatLocked, p.ChatLocked)
	flag("student_cursors", &s.StudentCursors, p.StudentCursors)
	flag("guests_allowed", &s.GuestsAllowed, p.GuestsAllowed)
	before := s.InviteToken
	if p.InviteToken != nil {
		s.InviteToken = *p.InviteToken
	}
	ensureInviteToken(s)
	if s.InviteToken != before {
		changed = append(changed, "invite_token")
	}
	return changed
}

func (p videoPatch) apply(v *catalog.Video, changed []string) []string {
	set := func(name string, dst *string, val *string, show bool) {
		if val == nil || *val == *dst {
			return
		}
		*dst = *val
		if show {
			name += "=" + *val
		}
		changed = append(changed, name)
	}
	set("video.provider", &v.Provider, p.Provider, true)
	set("video.join_url", &v.JoinURL, p.JoinURL, false)
	set("video.fallback_url", &v.FallbackURL, p.FallbackURL, false)
	set("video.recording_url", &v.RecordingURL, p.RecordingURL, false)
	return changed
}

// ensureInviteToken gives a session that admits guests a token if it has
// none.
func ensureInviteToken(s *catalog.Settings) {
	if s.GuestsAllowed && s.InviteToken == "" {
		s.InviteToken = catalog.NewInviteToken()
	}
}

func joinChanges(changed []string) string { return strings.Join(changed, " ") }
