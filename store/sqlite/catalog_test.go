package sqlite

import (
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/catalog/catalogtest"
)

func TestCatalog(t *testing.T) {
	t.Parallel()
	catalogtest.Run(t, func(t *testing.T) catalog.Catalog { return newStore(t) })
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	catalogtest.RunAudit(t, func(t *testing.T) catalog.AuditLog { return newStore(t) })
}
