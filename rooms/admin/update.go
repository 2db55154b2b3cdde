package admin

import (
	"errors"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// updateAttempts bounds the read-modify-write retries of a PATCH that
// races another write to the same record.
const updateAttempts = 3

// update is a PATCH: read the record, apply the patch, write it back if
// it changed, retrying when another write raced it (catalog Puts are
// compare-and-set on UpdatedAt). apply returns what it changed (for the
// audit log); nothing changed means nothing is written.
func update[T any](get func() (T, error), apply func(cur T) (T, []string, error), put func(T) (T, error)) (old, updated T, changed []string, err error) {
	for attempt := 1; ; attempt++ {
		old, err = get()
		if err != nil {
			return old, updated, nil, err
		}
		next, changed, err := apply(old)
		if err != nil || len(changed) == 0 {
			return old, old, nil, err
		}
		updated, err = put(next)
		if errors.Is(err, catalog.ErrConflict) && attempt < updateAttempts {
			continue
		}
		return old, updated, changed, err
	}
}
