package crdt

import (
	"strconv"
	"sync"
	"testing"
)

var (
	boardOnce     sync.Once
	boardSnapshot []byte
)

// board2000 returns a server document holding 2,000 strokes of 16 points,
// each added by its own change, as a live class would.
func board2000(b *testing.B) *Doc {
	b.Helper()
	boardOnce.Do(func() {
		d := newServer(b)
		for i := range 2000 {
			if err := d.AddStroke(benchStroke("s" + strconv.Itoa(i))); err != nil {
				b.Fatal(err)
			}
			mustCommit(b, d, "")
		}
		boardSnapshot = d.Save()
	})
	d, err := Load(boardSnapshot)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func benchStroke(id string) Stroke {
	pts := make([]float64, 32)
	for i := range pts {
		pts[i] = float64(i) * 1.5
	}
	return Stroke{ID: id, Author: "u1", Tool: ToolPen, Color: "#336699", Width: 2, Points: pts, Created: 1700000000000}
}

// BenchmarkApplyChanges applies one client stroke change to a document of
// 2,000 strokes.
func BenchmarkApplyChanges(b *testing.B) {
	server := board2000(b)
	client := board2000(b)
	changes := make([][]byte, b.N)
	for i := range changes {
		if err := client.AddStroke(benchStroke("c" + strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
		changes[i] = mustCommit(b, client, "").Chunks
	}
	if _, err := server.ApplyChanges(nil); err != nil { // build history outside the timer
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := server.ApplyChanges(changes[i])
		if err != nil || a.Count != 1 {
			b.Fatalf("apply: %+v, %v", a, err)
		}
	}
}

func BenchmarkParseChunks(b *testing.B) {
	d := newServer(b)
	if err := d.AddStroke(benchStroke("s")); err != nil {
		b.Fatal(err)
	}
	raw := mustCommit(b, d, "").Chunks
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseChunks(raw, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitPresenceBatch writes 500 presence entries and commits
// them as one change.
func BenchmarkCommitPresenceBatch(b *testing.B) {
	d := newServer(b)
	users := make([]string, 500)
	for i := range users {
		users[i] = "user-" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	n := int64(0)
	for b.Loop() {
		n++
		for _, u := range users {
			p := Presence{Name: u, Role: RoleStudent, JoinedAt: n, Status: StatusOnline}
			if err := d.SetPresence(u, p); err != nil {
				b.Fatal(err)
			}
		}
		if a, err := d.Commit("presence"); err != nil || a.Count != 1 {
			b.Fatalf("commit: %+v, %v", a, err)
		}
	}
}

func BenchmarkSave2000Strokes(b *testing.B) {
	d := board2000(b)
	b.ReportAllocs()
	for b.Loop() {
		b.SetBytes(int64(len(d.Save())))
	}
}

// BenchmarkSaveChecked2000Strokes measures SaveChecked when it must check
// (remote changes arrived since the last call) and when it need not.
func BenchmarkSaveChecked2000Strokes(b *testing.B) {
	for _, check := range []bool{true, false} {
		b.Run(map[bool]string{true: "check", false: "cached"}[check], func(b *testing.B) {
			d := board2000(b)
			b.ReportAllocs()
			for b.Loop() {
				if check {
					d.saveState = saveUnknown
				}
				if _, compact, err := d.SaveChecked(); err != nil || !compact {
					b.Fatal(compact, err)
				}
			}
		})
	}
}

func BenchmarkLoad2000Strokes(b *testing.B) {
	board2000(b)
	b.SetBytes(int64(len(boardSnapshot)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(boardSnapshot); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeads(b *testing.B) {
	d := board2000(b)
	b.ReportAllocs()
	for b.Loop() {
		d.Heads()
	}
}

func BenchmarkState2000Strokes(b *testing.B) {
	d := board2000(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.State(); err != nil {
			b.Fatal(err)
		}
	}
}
