package peer

import (
	"testing"
	"time"
)

// BenchmarkSendAt measures the cost the session pays per member per
// broadcast: queueing one shared frame.
func BenchmarkSendAt(b *testing.B) {
	p := New(nil, Config{QueueFrames: 1 << 30, QueueBytes: 1 << 62}, nil)
	frame := make([]byte, 200)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.SendAt(frame, now)
		if i%256 == 255 { // what the writer does when it drains
			p.mu.Lock()
			clear(p.items)
			p.items, p.bytes, p.counted = p.items[:0], 0, 0
			p.mu.Unlock()
		}
	}
}
