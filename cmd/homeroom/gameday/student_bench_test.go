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
		if err := s.changes(fr, len(payload), r.since()); err != nil {
			b.Fatal(err)
		}
	}
	if s.delivered.Load() == 0 {
		b.Fatal("nothing delivered")
	}
}

// BenchmarkStudentChat measures a cheap student handling one chat_message
// app frame: read it, find its seq and id, look the send time up, record
// a sample. It must not allocate.
func BenchmarkStudentChat(b *testing.B) {
	cfg := Config{Scenario: "chat", Students: 2000, ChatRate: 20, Duration: 10 * time.Second}.withDefaults()
	r := newRunner(cfg, "ws://unused/ws", nil, nil)
	r.chat.sentAt[7].Store(r.since())
	s := newStudent(r, 0, false)
	payload := []byte(`{"type":"chat_message","session":"gameday-1a2b3c4d","seq":8,"id":"` + r.chat.prefix +
		`7","user":"gameday-s0042","name":"Student 0042","role":"student","text":"gameday message 7 from Student 0042","at":"2026-11-29T22:00:00.123456789Z"}`)
	frame := wire.EncodeFrame(wire.TypeApp, payload)
	src := bytes.NewReader(frame)
	fr := &frameReader{br: bufio.NewReaderSize(src, 4096)}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.samples) == cap(s.samples) {
			s.samples = s.samples[:0]
		}
		s.chat.got[0], s.chat.lastSeq = 0, 0 // every time a first receipt
		src.Reset(frame)
		fr.br.Reset(src)
		fr.inMsg = true
		t, n, err := fr.header()
		if err != nil || t != wire.TypeApp {
			b.Fatal(t, err)
		}
		if err := s.app(fr, n, r.since()); err != nil {
			b.Fatal(err)
		}
	}
	if s.chat.duplicates != 0 || s.chat.distinct == 0 {
		b.Fatalf("distinct %d, duplicates %d", s.chat.distinct, s.chat.duplicates)
	}
}
