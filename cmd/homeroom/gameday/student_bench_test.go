package gameday

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// BenchmarkStudentChanges measures a cheap student handling one changes
// frame from the teacher: stream through the chunk, look it up, record a
// sample. It must not allocate.
func BenchmarkStudentChanges(b *testing.B) {
	chunks, _ := commitStrokes(b, 1)
	r := newRunner(Config{DrawRate: 30, Duration: 10 * time.Second}.withDefaults(), "ws://unused/ws", nil, nil)
	r.sent.record(checksumOf(chunks), r.since())
	s := newStudent(r, 0, false)
	f, _, err := wire.Next(wire.AppendChanges(nil, 0, chunks))
	if err != nil {
		b.Fatal(err)
	}
	payload := f.Payload
	src := bytes.NewReader(payload)
	fr := &frameReader{br: bufio.NewReaderSize(src, 4096)}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.samples) == cap(s.samples) {
			s.samples = s.samples[:0]
		}
		src.Reset(payload)
		fr.br.Reset(src)
		if err := s.changes(fr, len(payload)); err != nil {
			b.Fatal(err)
		}
	}
	if s.delivered.Load() == 0 {
		b.Fatal("nothing delivered")
	}
}
