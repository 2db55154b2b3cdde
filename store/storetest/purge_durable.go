package storetest

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// Durable is a store that is all the parts of a PurgeSubject at once, as
// the SQL stores are.
type Durable interface {
	catalog.Catalog
	catalog.AuditLog
	rooms.DocStore
	rooms.SnapshotStore
	activities.Store
	privacy.UserPurger
	privacy.SessionPurger
}

// RunPurgers runs RunPurge and RunPurgeSessions against a durable store,
// as the parallel subtests User and Sessions. newStore returns an empty
// store for each subtest; dump, if not nil, returns every row of every
// table of one as text (see PurgeSubject.Dump).
func RunPurgers[S Durable](t *testing.T, newStore func(t testing.TB) S, dump func(ctx context.Context, s S) ([]string, error)) {
	newSubject := func(t *testing.T) PurgeSubject {
		s := newStore(t)
		sub := PurgeSubject{Catalog: s, Audit: s, Docs: s, Snapshots: s, Activities: s, Users: s, Sessions: s}
		if dump != nil {
			sub.Dump = func(t *testing.T) []string {
				t.Helper()
				rows, err := dump(t.Context(), s)
				ok(t, err)
				return rows
			}
		}
		return sub
	}
	t.Run("User", func(t *testing.T) {
		t.Parallel()
		RunPurge(t, newSubject)
	})
	t.Run("Sessions", func(t *testing.T) {
		t.Parallel()
		RunPurgeSessions(t, newSubject)
	})
}
