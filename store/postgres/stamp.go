package postgres

import (
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// normTime is how every time is stored: UTC, microseconds.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (s *Store) nowUTC() time.Time { return normTime(s.now()) }

// stamp applies the compare-and-set rule of Catalog's Put methods, as
// catalog.Memory does. given is the UpdatedAt the caller sent; prevCreated,
// prevUpdated and exists describe the stored record (read FOR UPDATE). It
// returns the CreatedAt and UpdatedAt to store.
func stamp(kind, id string, now, given, prevCreated, prevUpdated time.Time, exists bool) (time.Time, time.Time, error) {
	if given.IsZero() {
		if exists {
			return time.Time{}, time.Time{}, fmt.Errorf("%w: %s %q already exists", catalog.ErrConflict, kind, id)
		}
		return now, now, nil
	}
	if !exists {
		return time.Time{}, time.Time{}, fmt.Errorf("%s %q %w", kind, id, catalog.ErrNotFound)
	}
	if !given.Equal(prevUpdated) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: %s %q changed since it was read", catalog.ErrConflict, kind, id)
	}
	if !now.After(prevUpdated) {
		now = prevUpdated.Add(time.Microsecond)
	}
	return prevCreated, now, nil
}

// limitOf is the number of rows a page returns.
func limitOf(p catalog.Page) int {
	if p.Limit <= 0 {
		return catalog.DefaultPageLimit
	}
	return p.Limit
}
