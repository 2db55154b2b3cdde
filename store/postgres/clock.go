package postgres

import (
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// nowUTC is the store clock as the catalog keeps times.
func (s *Store) nowUTC() time.Time { return catalog.StoredTime(s.now()) }
