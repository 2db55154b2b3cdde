package crdt_test

import (
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
)

// A server document, a client starting from its snapshot, and changes
// flowing both ways.
func Example() {
	server, err := crdt.New("algebra-101")
	if err != nil {
		panic(err)
	}
	client, err := crdt.Load(server.Save()) // clients never call New
	if err != nil {
		panic(err)
	}

	// The client draws; its change goes to the server.
	_ = client.AddStroke(crdt.Stroke{ID: "s1", Author: "ann", Tool: crdt.ToolPen, Color: "#ff0000", Width: 2, Points: []float64{0, 0, 5, 5}})
	drawn, _ := client.Commit("draw")
	applied, err := server.ApplyChanges(drawn.Chunks)
	if err != nil {
		panic(err)
	}

	// The server batches its own edits into one change to broadcast.
	_ = server.SetPresence("ann", crdt.Presence{Name: "Ann", Role: crdt.RoleStudent, JoinedAt: 1, Status: crdt.StatusOnline})
	_ = server.RaiseHand("ann", 2)
	batch, _ := server.Commit("presence")
	if _, err := client.ApplyChanges(batch.Chunks); err != nil {
		panic(err)
	}

	st, _ := client.State()
	fmt.Println(applied.Count, batch.Count, len(st.Board["s1"].Points), st.Hands["ann"], st.Presence["ann"].Status)
	// Output: 1 1 4 2 online
}
