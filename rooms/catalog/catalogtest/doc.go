// Package catalogtest is the conformance suite every catalog.Catalog and
// catalog.AuditLog implementation runs from its own tests:
//
//	func TestMemory(t *testing.T) {
//		catalogtest.Run(t, func(t *testing.T) catalog.Catalog { return catalog.NewMemory() })
//	}
//
// Each subtest asks the factory for a fresh, empty implementation. Events
// are awaited with a timeout, so implementations that deliver them
// asynchronously (Postgres LISTEN/NOTIFY) pass too.
package catalogtest
