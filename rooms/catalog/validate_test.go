package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t0 := time.Date(2031, 9, 1, 8, 0, 0, 0, time.UTC)
	okSession := Session{ID: "ses", CourseID: "crs", Title: "T", StartsAt: t0, EndsAt: t0.Add(time.Hour), State: StateScheduled}
	withSession := func(edit func(*Session)) Session { s := okSession; edit(&s); return s }
	zoom := func(v Video) Video { v.Provider = ProviderZoom; return v }

	tests := []struct {
		name  string
		v     interface{ Validate() error }
		field string // "" means valid
	}{
		{"institution ok", Institution{ID: "ins_abc", Name: "Springfield District", RetentionDays: 365}, ""},
		{"id every allowed char", Institution{ID: "aZ09._:-", Name: "x"}, ""},
		{"id 128 chars", Institution{ID: strings.Repeat("a", 128), Name: "x"}, ""},
		{"id 129 chars", Institution{ID: strings.Repeat("a", 129), Name: "x"}, "institution.id"},
		{"id slash", Institution{ID: "a/b", Name: "x"}, "institution.id"},
		{"id unicode", Institution{ID: "é", Name: "x"}, "institution.id"},
		{"id empty", Institution{Name: "x"}, "institution.id"},
		{"name empty", Institution{ID: "i"}, "institution.name"},
		{"name blank", Institution{ID: "i", Name: " \t"}, "institution.name"},
		{"name 200 runes", Institution{ID: "i", Name: strings.Repeat("é", 200)}, ""},
		{"name 201 runes", Institution{ID: "i", Name: strings.Repeat("é", 201)}, "institution.name"},
		{"name newline", Institution{ID: "i", Name: "a\nb"}, "institution.name"},
		{"name bad utf8", Institution{ID: "i", Name: "a\xffb"}, "institution.name"},
		{"retention negative", Institution{ID: "i", Name: "x", RetentionDays: -1}, "institution.retention_days"},
		{"retention too long", Institution{ID: "i", Name: "x", RetentionDays: 36501}, "institution.retention_days"},

		{"course ok", Course{ID: "c", InstitutionID: "i", Name: "Algebra"}, ""},
		{"course no institution", Course{ID: "c", Name: "Algebra"}, "course.institution_id"},
		{"course no name", Course{ID: "c", InstitutionID: "i"}, "course.name"},

		{"session ok", okSession, ""},
		{"session no title", withSession(func(s *Session) { s.Title = "" }), "session.title"},
		{"session no start", withSession(func(s *Session) { s.StartsAt = time.Time{} }), "session.starts_at"},
		{"session ends at start", withSession(func(s *Session) { s.EndsAt = s.StartsAt }), "session.ends_at"},
		{"session bad state", withSession(func(s *Session) { s.State = "Live" }), "session.state"},
		{"session empty state", withSession(func(s *Session) { s.State = "" }), "session.state"},
		{"session bad token", withSession(func(s *Session) { s.Settings.InviteToken = "short" }), "settings.invite_token"},
		{"session bad video", withSession(func(s *Session) { s.Video.JoinURL = "https://x.example" }), "video.provider"},

		{"settings guests with token", Settings{GuestsAllowed: true, InviteToken: NewInviteToken()}, ""},
		{"settings guests no token", Settings{GuestsAllowed: true}, "settings.invite_token"},
		{"settings token bad char", Settings{InviteToken: "abcdefghijklmnop!"}, "settings.invite_token"},
		{"settings token kept while guests off", Settings{InviteToken: "abcdefghijklmnop"}, ""},

		{"video none", Video{}, ""},
		{"video zoom", zoom(Video{JoinURL: "https://zoom.us/j/1", FallbackURL: "http://dial.example/in"}), ""},
		{"video unknown provider", Video{Provider: "Zoom", JoinURL: "https://zoom.us/j/1"}, "video.provider"},
		{"video provider no join", zoom(Video{}), "video.join_url"},
		{"video ftp", zoom(Video{JoinURL: "ftp://x.example/"}), "video.join_url"},
		{"video relative", zoom(Video{JoinURL: "/j/1"}), "video.join_url"},
		{"video no host", zoom(Video{JoinURL: "https:///j/1"}), "video.join_url"},
		{"video bad fallback", zoom(Video{JoinURL: "https://zoom.us/j/1", FallbackURL: "javascript:x"}), "video.fallback_url"},
		{"video bad recording", zoom(Video{JoinURL: "https://zoom.us/j/1", RecordingURL: "data:x"}), "video.recording_url"},
		{"video url too long", zoom(Video{JoinURL: "https://x.example/" + strings.Repeat("a", 2048)}), "video.join_url"},
		{"video url without provider", Video{RecordingURL: "https://x.example/r"}, "video.provider"},

		{"enrollment ok", Enrollment{CourseID: "c", UserID: "u-1", Role: RoleObserver}, ""},
		{"enrollment no user", Enrollment{CourseID: "c", Role: RoleStudent}, "enrollment.user_id"},
		{"enrollment bad role", Enrollment{CourseID: "c", UserID: "u", Role: "admin"}, "enrollment.role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ie *InvalidError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want an *InvalidError", err)
			}
			if ie.Field != tt.field {
				t.Fatalf("field = %q (%v), want %q", ie.Field, err, tt.field)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want Role
		ok   bool
	}{
		{"teacher", RoleTeacher, true},
		{" Moderator ", RoleModerator, true},
		{"STUDENT", RoleStudent, true},
		{"observer", RoleObserver, true},
		{"", "", false},
		{"admin", "", false},
	}
	for _, tt := range tests {
		got, err := ParseRole(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseRole(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseRole(%q) error %v does not match ErrInvalid", tt.in, err)
		}
	}
}

func TestCanTransition(t *testing.T) {
	allowed := map[[2]State]bool{
		{StateScheduled, StateScheduled}: true, {StateScheduled, StateLive}: true, {StateScheduled, StateEnded}: true,
		{StateLive, StateLive}: true, {StateLive, StateEnded}: true, {StateEnded, StateEnded}: true,
	}
	for _, from := range []State{StateScheduled, StateLive, StateEnded} {
		for _, to := range []State{StateScheduled, StateLive, StateEnded} {
			if got := CanTransition(from, to); got != allowed[[2]State{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestAdmitsGuest(t *testing.T) {
	tok := NewInviteToken()
	tests := []struct {
		name string
		s    Settings
		tok  string
		want bool
	}{
		{"right token", Settings{GuestsAllowed: true, InviteToken: tok}, tok, true},
		{"wrong token", Settings{GuestsAllowed: true, InviteToken: tok}, tok + "x", false},
		{"guests off", Settings{InviteToken: tok}, tok, false},
		{"empty token never admits", Settings{GuestsAllowed: true}, "", false},
	}
	for _, tt := range tests {
		if got := tt.s.AdmitsGuest(tt.tok); got != tt.want {
			t.Errorf("%s: AdmitsGuest = %v", tt.name, got)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID(PrefixCourse)
		if len(id) != 16 || !strings.HasPrefix(id, "crs_") || !ValidID(id) || strings.ToLower(id) != id {
			t.Fatalf("NewID = %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	if tok := NewInviteToken(); (Settings{GuestsAllowed: true, InviteToken: tok}).Validate() != nil {
		t.Fatalf("NewInviteToken() = %q is not a valid token", tok)
	}
}
