package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// Demo ids, stable across restarts so printed tokens keep working.
const (
	demoInstitution = "demo-district"
	demoCourse      = "demo-algebra"
	demoSession     = "demo-live"
	demoTeacher     = "demo-teacher"
	demoStudents    = 3
)

// seedDemo creates (or reuses) a demo institution, course and live session
// with a teacher and a few students enrolled, and prints a join token for
// each, so a newcomer can connect clients within a minute.
func seedDemo(ctx context.Context, cat catalog.Catalog, secret []byte, addr string, out io.Writer) error {
	put := func(err error) error {
		if err != nil && !errors.Is(err, catalog.ErrConflict) {
			return fmt.Errorf("seed demo: %w", err)
		}
		return nil
	}
	if _, err := cat.PutInstitution(ctx, catalog.Institution{ID: demoInstitution, Name: "Demo District"}); put(err) != nil {
		return put(err)
	}
	if _, err := cat.PutCourse(ctx, catalog.Course{ID: demoCourse, InstitutionID: demoInstitution, Name: "Algebra I (demo)"}); put(err) != nil {
		return put(err)
	}
	now := time.Now()
	if _, err := cat.PutSession(ctx, catalog.Session{ID: demoSession, CourseID: demoCourse, Title: "Demo lesson",
		StartsAt: now.Add(-5 * time.Minute), EndsAt: now.Add(8 * time.Hour), State: catalog.StateLive}); put(err) != nil {
		return put(err)
	}
	users := []struct {
		id, name string
		role     catalog.Role
	}{{demoTeacher, "Ms. Rivera", catalog.RoleTeacher}}
	for i := 1; i <= demoStudents; i++ {
		users = append(users, struct {
			id, name string
			role     catalog.Role
		}{fmt.Sprintf("demo-student-%d", i), fmt.Sprintf("Student %d", i), catalog.RoleStudent})
	}
	minter, err := identity.NewHS256Minter(secret)
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	fmt.Fprintf(out, "\nDemo session %q is live. Join tokens (valid 8h; the subprotocol entry is homeroom.token.<token>):\n", demoSession)
	links := make([]string, 0, len(users))
	for _, u := range users {
		if _, err := cat.PutEnrollment(ctx, catalog.Enrollment{CourseID: demoCourse, UserID: u.id, Role: u.role}); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		tok, err := minter.Mint(identity.Claims{UserID: u.id, Name: u.name, Role: string(u.role), Session: demoSession}, 8*time.Hour)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		fmt.Fprintf(out, "  %-9s %-15s %s\n", u.role, u.id, tok)
		links = append(links, fmt.Sprintf("  %-9s %-11s → %s", u.role, u.name, classLink(addr, demoSession, tok)))
	}
	fmt.Fprintf(out, "\nOpen the class in a browser, one window per person (the token is in the link's #fragment):\n%s\n\n",
		strings.Join(links, "\n"))
	fmt.Fprintf(out, "Try it: node --experimental-websocket web/client/interop.mjs --url ws://%s/ws --session %s --token <token> --strokes 3\n\n", addr, demoSession)
	return nil
}

// classLink is the browser classroom's page for a session, with the join
// token in the fragment, which browsers never send to the server. An
// unspecified listen host (0.0.0.0, ::) becomes localhost.
func classLink(addr, session, token string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil {
		if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
			host = "localhost"
		}
		addr = net.JoinHostPort(host, port)
	}
	return "http://" + addr + "/s/" + url.PathEscape(session) + "#token=" + token
}
