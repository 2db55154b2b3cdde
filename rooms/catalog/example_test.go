package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// A join asks Admission once: enrolled users get their role; others may
// still come in as guests with the session's invite token.
func ExampleCatalog_admission() {
	ctx := context.Background()
	cat := catalog.NewMemory()
	start := time.Date(2031, 9, 1, 8, 30, 0, 0, time.UTC)
	cat.PutInstitution(ctx, catalog.Institution{ID: "springfield", Name: "Springfield District"})
	cat.PutCourse(ctx, catalog.Course{ID: "algebra-1", InstitutionID: "springfield", Name: "Algebra I"})
	cat.PutSession(ctx, catalog.Session{
		ID: "algebra-1-w1", CourseID: "algebra-1", Title: "Week 1",
		StartsAt: start, EndsAt: start.Add(50 * time.Minute), State: catalog.StateLive,
		Settings: catalog.Settings{GuestsAllowed: true, InviteToken: "parents-evening-2031"},
	})
	cat.PutEnrollment(ctx, catalog.Enrollment{CourseID: "algebra-1", UserID: "u-ada", Role: catalog.RoleStudent})

	join := func(user, token string) string {
		a, err := cat.Admission(ctx, "algebra-1-w1", user)
		switch {
		case err == nil:
			return string(a.Role)
		case errors.Is(err, catalog.ErrNotEnrolled) && a.Session.Settings.AdmitsGuest(token):
			return "guest"
		default:
			return "refused: " + err.Error()
		}
	}
	fmt.Println(join("u-ada", ""))
	fmt.Println(join("u-parent", "parents-evening-2031"))
	fmt.Println(join("u-stranger", "guess"))
	// Output:
	// student
	// guest
	// refused: user "u-stranger" in course "algebra-1": not enrolled
}
