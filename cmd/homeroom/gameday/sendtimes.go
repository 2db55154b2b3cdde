package gameday

import (
	"math/bits"
	"sync/atomic"
)

// sendTimes maps the checksum of each change the teacher sent while
// drawing to when it was sent. One writer (the teacher) and thousands of
// readers (students, once per received change) use it at once, so it is a
// fixed-size, open-addressed table of atomics: lookups take no lock and
// allocate nothing.
//
// A change is identified by its chunk's 4-byte checksum (bytes 4..8 of the
// chunk, the first 4 bytes of its SHA-256 hash). Two changes of one run
// sharing a checksum is a one-in-a-billion event for a few thousand
// changes; the first recorded wins.
type sendTimes struct {
	mask  uint32
	slots []sendSlot
	n     atomic.Int64
	limit int64
}

type sendSlot struct {
	key atomic.Uint64 // 1<<32 | checksum once set; 0 while empty
	at  atomic.Int64  // nanoseconds since the run's start
}

// newSendTimes returns a table for up to capacity changes.
func newSendTimes(capacity int) *sendTimes {
	size := uint32(1) << bits.Len32(uint32(max(capacity, 8)*2-1)) // ≥ 2×capacity
	return &sendTimes{mask: size - 1, slots: make([]sendSlot, size), limit: int64(capacity)}
}

func slotOf(sum uint32) uint32 { return sum * 0x9E3779B1 }

// record stores the send time of the change with checksum sum. It reports
// false when the table is full or sum is already recorded. Only one
// goroutine may record.
func (t *sendTimes) record(sum uint32, at int64) bool {
	if t.n.Load() >= t.limit {
		return false
	}
	key := 1<<32 | uint64(sum)
	for i := slotOf(sum); ; i++ {
		s := &t.slots[i&t.mask]
		switch s.key.Load() {
		case 0:
			s.at.Store(at)
			s.key.Store(key) // publishes at
			t.n.Add(1)
			return true
		case key:
			return false
		}
	}
}

// lookup returns the send time of the change with checksum sum.
func (t *sendTimes) lookup(sum uint32) (int64, bool) {
	key := 1<<32 | uint64(sum)
	for i := slotOf(sum); ; i++ {
		s := &t.slots[i&t.mask]
		switch s.key.Load() {
		case 0:
			return 0, false
		case key:
			return s.at.Load(), true
		}
	}
}

// len returns the number of recorded changes.
func (t *sendTimes) len() int { return int(t.n.Load()) }
