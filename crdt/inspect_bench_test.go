package crdt

import (
	"strconv"
	"testing"
)

// benchInspect measures DecodeOps and Inspect of the change raw against
// the index of server, the way the session authorizes a client change.
func benchInspect(b *testing.B, server *Doc, raw []byte) {
	ix, err := BuildIndex(server)
	if err != nil {
		b.Fatal(err)
	}
	chunks, err := ParseChunks(raw, 0)
	if err != nil || len(chunks) != 1 {
		b.Fatalf("ParseChunks: %d chunks, %v", len(chunks), err)
	}
	c := chunks[0]
	b.SetBytes(int64(len(c.Raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ops, err := DecodeOps(c)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Inspect(ix, ops); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.Ops), "ops/change")
}

// BenchmarkInspectStroke: one client change drawing a stroke of 16 points.
func BenchmarkInspectStroke(b *testing.B) {
	server := newServer(b)
	client := replica(b, server)
	if err := client.AddStroke(benchStroke("s")); err != nil {
		b.Fatal(err)
	}
	benchInspect(b, server, mustCommit(b, client, "").Chunks)
}

// BenchmarkInspectPresence500: one change writing 500 presence entries, as
// when a class joins at once.
func BenchmarkInspectPresence500(b *testing.B) {
	server := newServer(b)
	client := replica(b, server)
	for i := range 500 {
		p := Presence{Name: "Student " + strconv.Itoa(i), Role: RoleStudent, JoinedAt: 1700000000000 + int64(i), Status: StatusOnline}
		if err := client.SetPresence("u"+strconv.Itoa(i), p); err != nil {
			b.Fatal(err)
		}
	}
	benchInspect(b, server, mustCommit(b, client, "").Chunks)
}

// BenchmarkBuildIndex2000Strokes indexes a document of 2,000 strokes of 16
// points, each added by its own change (board2000).
func BenchmarkBuildIndex2000Strokes(b *testing.B) {
	d := board2000(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ix, err := BuildIndex(d)
		if err != nil {
			b.Fatal(err)
		}
		if ix.Len() != 1+4+2*2000 {
			b.Fatalf("%d objects", ix.Len())
		}
	}
}
