package store

import (
	"context"
	"testing"
)

func TestMemoryRoundTrip(t *testing.T) {
	ctx := context.Background()
	var m Memory
	if b, err := m.LoadDoc(ctx, "s"); err != nil || b != nil {
		t.Fatalf("empty load = %v, %v", b, err)
	}
	doc := []byte{1, 2, 3}
	if err := m.SaveDoc(ctx, "s", doc); err != nil {
		t.Fatal(err)
	}
	doc[0] = 9 // the store must have kept its own copy
	b, err := m.LoadDoc(ctx, "s")
	if err != nil || len(b) != 3 || b[0] != 1 {
		t.Fatalf("load = %v, %v", b, err)
	}
}
