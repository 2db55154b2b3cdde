package catalogtest

import (
	"context"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func testSessionRoundTrip(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	nyc := time.FixedZone("EST", -5*3600)
	s := catalog.Session{
		ID: "ses-2", CourseID: "crs-1", Title: "Fractions, part 2",
		StartsAt: time.Date(2031, 9, 2, 9, 0, 0, 123456789, nyc),
		EndsAt:   time.Date(2031, 9, 2, 9, 50, 0, 0, nyc),
		State:    catalog.StateLive,
		Settings: catalog.Settings{
			BoardLocked: true, ChatLocked: true, StudentCursors: true,
			GuestsAllowed: true, InviteToken: "invite-token-0123456789",
		},
		Video: catalog.Video{
			Provider: catalog.ProviderZoom, JoinURL: "https://zoom.us/j/123?pwd=x",
			FallbackURL: "https://meet.jit.si/fractions", RecordingURL: "https://example.org/rec/1",
		},
	}
	got := must(c.PutSession(ctx, s))(t)
	want := s
	want.StartsAt = time.Date(2031, 9, 2, 14, 0, 0, 123456000, time.UTC) // UTC, microseconds
	want.EndsAt = time.Date(2031, 9, 2, 14, 50, 0, 0, time.UTC)
	want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
	sameJSON(t, got, want)
	sameJSON(t, must(c.GetSession(ctx, "ses-2"))(t), want)
}

func testSessionNeedsCourse(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, err := c.PutSession(ctx, session("ses-1", "crs-missing"))
	wantErr(t, err, catalog.ErrConflict)
}

func testSessionInvalid(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	tests := []struct {
		name string
		edit func(s *catalog.Session)
	}{
		{"ends before starts", func(s *catalog.Session) { s.EndsAt = s.StartsAt.Add(-time.Minute) }},
		{"no schedule", func(s *catalog.Session) { s.StartsAt, s.EndsAt = time.Time{}, time.Time{} }},
		{"unknown state", func(s *catalog.Session) { s.State = "paused" }},
		{"guests without token", func(s *catalog.Session) { s.Settings.GuestsAllowed = true }},
		{"unknown provider", func(s *catalog.Session) { s.Video = catalog.Video{Provider: "skype", JoinURL: "https://x.example"} }},
		{"javascript url", func(s *catalog.Session) {
			s.Video = catalog.Video{Provider: catalog.ProviderOther, JoinURL: "javascript:alert(1)"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := session("ses-new", "crs-1")
			tt.edit(&s)
			_, err := c.PutSession(ctx, s)
			wantErr(t, err, catalog.ErrInvalid)
		})
	}
	_, err := c.GetSession(ctx, "ses-new")
	wantErr(t, err, catalog.ErrNotFound)
}

func testSessionCompareAndSet(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	_, _, v1 := seed(t, c)
	live := v1
	live.State = catalog.StateLive
	v2 := must(c.PutSession(ctx, live))(t)
	if v2.State != catalog.StateLive || !v2.CreatedAt.Equal(v1.CreatedAt) {
		t.Fatalf("update = %+v", v2)
	}
	stale := v1
	stale.Settings.BoardLocked = true
	_, err := c.PutSession(ctx, stale)
	wantErr(t, err, catalog.ErrConflict)
	_, err = c.PutSession(ctx, session("ses-1", "crs-1"))
	wantErr(t, err, catalog.ErrConflict)
	sameJSON(t, must(c.GetSession(ctx, "ses-1"))(t), v2)
}

func testSessionListByCourse(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	must(c.PutCourse(ctx, course("crs-2", "ins-1")))(t)
	must(c.PutSession(ctx, session("ses-3", "crs-1")))(t)
	must(c.PutSession(ctx, session("ses-2", "crs-1")))(t)
	must(c.PutSession(ctx, session("ses-0", "crs-2")))(t)
	ids := func(ss []catalog.Session) (out []string) {
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	sameJSON(t, ids(must(c.ListSessions(ctx, "crs-1", catalog.Page{}))(t)), []string{"ses-1", "ses-2", "ses-3"})
	sameJSON(t, ids(must(c.ListSessions(ctx, "crs-1", catalog.Page{After: "ses-1", Limit: 1}))(t)), []string{"ses-2"})
	sameJSON(t, ids(must(c.ListSessions(ctx, "", catalog.Page{}))(t)), []string{"ses-0", "ses-1", "ses-2", "ses-3"})
}
