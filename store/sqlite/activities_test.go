package sqlite

import (
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/storetest"
)

func TestActivities(t *testing.T) {
	t.Parallel()
	storetest.RunActivities(t, func(t *testing.T) activities.Store { return newStore(t) })
}
