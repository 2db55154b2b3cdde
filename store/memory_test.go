package store

import (
	"context"
	"testing"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/store/storetest"
)

func TestMemoryDocStore(t *testing.T) {
	storetest.RunDocStore(t, func(t *testing.T) rooms.DocStore { return NewMemory() })
}

func TestMemoryKeepsItsOwnCopy(t *testing.T) {
	ctx := context.Background()
	var m Memory
	doc := []byte{1, 2, 3}
	if err := m.SaveDoc(ctx, "s", doc); err != nil {
		t.Fatal(err)
	}
	doc[0] = 9
	if b, err := m.LoadDoc(ctx, "s"); err != nil || b[0] != 1 {
		t.Fatalf("load = %v, %v", b, err)
	}
}

func TestMemorySnapshots(t *testing.T) {
	storetest.RunSnapshots(t, func(t *testing.T) rooms.SnapshotStore { return NewMemory() })
}

func TestMemoryActivities(t *testing.T) {
	storetest.RunActivities(t, func(t *testing.T) activities.Store { return NewMemory() })
}
