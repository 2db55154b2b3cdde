package store

import (
	"testing"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

func BenchmarkActivities(b *testing.B) { storetest.BenchActivities(b, NewMemory()) }
