package catalog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// BenchmarkMemoryAdmission is the join-storm hot path: many joins at once
// against a course of 2,000 students while enrollments change.
func BenchmarkMemoryAdmission(b *testing.B) {
	ctx := context.Background()
	m := catalog.NewMemory()
	seed(b, m)
	const students = 2000
	for i := range students {
		if _, err := m.PutEnrollment(ctx, catalog.Enrollment{CourseID: "crs", UserID: fmt.Sprint("u", i), Role: catalog.RoleStudent}); err != nil {
			b.Fatal(err)
		}
	}
	users := make([]string, students)
	for i := range users {
		users[i] = fmt.Sprint("u", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := m.Admission(ctx, "ses", users[i%students]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
