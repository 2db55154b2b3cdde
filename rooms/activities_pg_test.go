package rooms

import (
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/postgres/pgtest"
)

// The activity tests also run against the real Postgres store: the unique
// constraints that make answers idempotent are the database's.
func init() {
	activityStores["postgres"] = func(t *testing.T) activities.Store { return pgtest.NewStore(t) }
}
