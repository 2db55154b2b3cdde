package sqlite

import (
	"testing"

	"github.com/homeroom-edu/homeroom/store/storetest"
)

func BenchmarkDocStore(b *testing.B) { storetest.BenchDocStore(b, newStore(b)) }
