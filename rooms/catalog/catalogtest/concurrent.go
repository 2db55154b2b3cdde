package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// testConcurrent runs joins against writers (run it with -race) and checks
// that compare-and-set loses no update.
func testConcurrent(t *testing.T, c catalog.Catalog) {
	ctx := context.Background()
	seed(t, c)
	ch, stop := c.Subscribe()
	defer stop()
	go func() {
		for range ch { // drain
		}
	}()

	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, 3*workers)
	for w := range workers {
		wg.Add(3)
		user := fmt.Sprintf("u-%d", w)
		go func() { // a user enrolling and leaving
			defer wg.Done()
			for range rounds {
				if _, err := c.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs-1", UserID: user, Role: catalog.RoleStudent}); err != nil {
					errs <- err
					return
				}
				if err := c.DeleteEnrollment(ctx, "crs-1", user); err != nil {
					errs <- err
					return
				}
			}
		}()
		go func() { // joins
			defer wg.Done()
			for range rounds * 4 {
				a, err := c.Admission(ctx, "ses-1", user)
				if err != nil && !errors.Is(err, catalog.ErrNotEnrolled) {
					errs <- err
					return
				}
				if a.Session.ID != "ses-1" || a.Course.ID != "crs-1" {
					errs <- fmt.Errorf("admission = %+v", a)
					return
				}
			}
		}()
		go func() { // read-modify-write of one record
			defer wg.Done()
			for range rounds {
				for {
					in, err := c.GetInstitution(ctx, "ins-1")
					if err != nil {
						errs <- err
						return
					}
					in.RetentionDays++
					_, err = c.PutInstitution(ctx, in)
					if err == nil {
						break
					}
					if !errors.Is(err, catalog.ErrConflict) {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// seed's institution starts at 30 days.
	if got := must(c.GetInstitution(ctx, "ins-1"))(t).RetentionDays; got != 30+workers*rounds {
		t.Fatalf("RetentionDays = %d after %d increments from 30: an update was lost", got, workers*rounds)
	}
}
