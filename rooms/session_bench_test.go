package rooms

import (
	"fmt"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store"
)

// BenchmarkBroadcast2000 measures what one board change costs the session
// goroutine at 2,000 members: check every operation against the write
// rules, apply the change, encode the frame once, and queue it for every
// member. (Parsing the frame is the gateway's, on the connection's
// goroutine, and not counted.)
func BenchmarkBroadcast2000(b *testing.B) {
	benchmarkBroadcast(b, 2000)
}

func BenchmarkBroadcast1(b *testing.B) {
	benchmarkBroadcast(b, 1)
}

func benchmarkBroadcast(b *testing.B, members int) {
	r := NewRegistry(Config{}, store.NewMemory(), nil, nil)
	s := newSession("bench", r)
	var err error
	if s.doc, err = crdt.New("bench"); err != nil {
		b.Fatal(err)
	}
	if s.objects, err = crdt.BuildIndex(s.doc); err != nil {
		b.Fatal(err)
	}
	s.initSnapshot(nil)
	for i := range members {
		s.members = append(s.members, &Member{ID: fmt.Sprint(i), User: "t", role: RoleTeacher, session: s, conn: discardConn{}})
	}
	sender := s.members[0]
	author, _ := crdt.New("bench")
	author.Automerge().Merge(s.doc.Automerge())
	pts := make([]float64, 32)
	changes := make([][]crdt.Chunk, 0, 1024)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if len(changes) == 0 {
			b.StopTimer()
			for j := range 1024 {
				author.AddStroke(crdt.Stroke{ID: fmt.Sprintf("s%d-%d", i, j), Author: "t", Tool: "pen", Color: "#000000", Width: 2, Points: pts})
				a, _ := author.Commit("")
				changes = append(changes, mustParse(b, a.Chunks))
			}
			b.StartTimer()
		}
		s.applyChanges(sender, uint64(i+1), changes[0], now)
		changes = changes[1:]
	}
}
