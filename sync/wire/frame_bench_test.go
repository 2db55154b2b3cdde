package wire

import "testing"

// BenchmarkCoalesce measures building one outgoing message from 16 queued
// frames, what a peer's writer does when it has fallen a little behind.
func BenchmarkCoalesce(b *testing.B) {
	change := make([]byte, 180)
	frame := AppendChanges(nil, 0, change)
	buf := make([]byte, 0, 16*len(frame))
	b.ReportAllocs()
	b.SetBytes(int64(16 * len(frame)))
	for b.Loop() {
		buf = buf[:0]
		for range 16 {
			buf = append(buf, frame...)
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	var msg []byte
	for range 16 {
		msg = AppendChanges(msg, 0, make([]byte, 180))
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := Split(msg, 64); err != nil {
			b.Fatal(err)
		}
	}
}
