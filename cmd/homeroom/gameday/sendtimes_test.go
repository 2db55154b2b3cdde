package gameday

import (
	"sync"
	"testing"
)

func TestSendTimes(t *testing.T) {
	st := newSendTimes(100)
	if _, ok := st.lookup(42); ok {
		t.Fatal("found a checksum in an empty table")
	}
	for i := range uint32(100) {
		if !st.record(i*7919, int64(i)+1) {
			t.Fatalf("record %d failed", i)
		}
	}
	if st.record(7919, 5) {
		t.Error("recorded a checksum twice")
	}
	if st.record(123456789, 5) {
		t.Error("recorded past capacity")
	}
	if st.len() != 100 {
		t.Errorf("len %d, want 100", st.len())
	}
	for i := range uint32(100) {
		at, ok := st.lookup(i * 7919)
		if !ok || at != int64(i)+1 {
			t.Errorf("lookup(%d) = %d, %v", i*7919, at, ok)
		}
	}
	if _, ok := st.lookup(1); ok {
		t.Error("found an unrecorded checksum")
	}
}

// TestSendTimesConcurrent runs one writer against many readers; -race
// checks the publication order.
func TestSendTimesConcurrent(t *testing.T) {
	const n = 2000
	st := newSendTimes(n)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range uint32(n) {
				if at, ok := st.lookup(i | 1<<31); ok && at != int64(i)+1 {
					t.Errorf("lookup(%d) = %d", i, at)
					return
				}
			}
		}()
	}
	for i := range uint32(n) {
		st.record(i|1<<31, int64(i)+1)
	}
	wg.Wait()
}

func BenchmarkSendTimesLookup(b *testing.B) {
	st := newSendTimes(1000)
	for i := range uint32(1000) {
		st.record(i*2654435761, int64(i))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st.lookup(uint32(i%1000) * 2654435761)
	}
}
