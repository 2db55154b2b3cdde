package crdt_test

import (
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
)

// The session authorizes a client's change before applying it: decode the
// operations, resolve them against the index, check every target, apply,
// then extend the index.
func ExampleInspect() {
	server, err := crdt.New("algebra-101")
	if err != nil {
		panic(err)
	}
	ix, err := crdt.BuildIndex(server)
	if err != nil {
		panic(err)
	}
	client, err := crdt.Load(server.Save())
	if err != nil {
		panic(err)
	}
	_ = client.AddStroke(crdt.Stroke{ID: "s1", Author: "ann", Tool: crdt.ToolPen, Color: "#ff0000", Width: 2, Points: []float64{0, 0}})
	_ = client.RaiseHand("bob", 1) // someone else's hand
	drawn, _ := client.Commit("")

	chunks, err := crdt.ParseChunks(drawn.Chunks, 0)
	if err != nil {
		panic(err)
	}
	for _, c := range chunks {
		ops, err := crdt.DecodeOps(c)
		if err != nil {
			panic(err)
		}
		targets, err := crdt.Inspect(ix, ops)
		if err != nil {
			panic(err)
		}
		for _, t := range targets {
			fmt.Printf("%s[%s].%s %v creates=%v nested=%v %v\n", t.Section, t.Entry, t.Field, t.Action, t.CreatesEntry, t.Nested, t.Value)
		}
	}
	applied, err := server.ApplyChanges(drawn.Chunks)
	if err != nil {
		panic(err)
	}
	if err := ix.AddChanges(applied.Chunks); err != nil {
		panic(err)
	}
	// Output:
	// board[s1]. makeMap creates=true nested=false null
	// board[s1].id set creates=false nested=false "s1"
	// board[s1].author set creates=false nested=false "ann"
	// board[s1].tool set creates=false nested=false "pen"
	// board[s1].color set creates=false nested=false "#ff0000"
	// board[s1].width set creates=false nested=false 2f
	// board[s1].created set creates=false nested=false 0
	// board[s1].points makeList creates=false nested=false null
	// board[s1].points set creates=false nested=true 0f
	// board[s1].points set creates=false nested=true 0f
	// hands[bob]. set creates=true nested=false 1
}
