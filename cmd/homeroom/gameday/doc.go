// Package gameday is Homeroom's load tool: it simulates a class against a
// running node over the public wire protocol (homeroom.v1, docs/protocol.md)
// and reports what the students experienced.
//
// A run is one scenario ([Config.Scenario]). The lecture scenario has one
// teacher drawing on the whiteboard while many students watch:
//
//   - the teacher keeps a full Automerge replica ([crdt.Doc]), optionally
//     fills the board before anyone joins (--preload-strokes), then draws at
//     a steady rate, recording when each change was sent;
//   - students are cheap: a raw WebSocket and one goroutine each, no
//     Automerge. They walk the change chunks of every changes frame and look
//     each chunk's checksum up in the teacher's send times, which gives the
//     delivery latency and whether every change arrived;
//   - a few students are replicas and keep a full document too; at the end a
//     fresh client joins and every replica and the teacher must agree with
//     the server's document (heads and content).
//
// Other scenarios (chat, polls) are meant to live in files of their own and
// register in the scenarios table (scenario.go), reusing the clients,
// counters and report of this package.
//
// The package touches only the network (the node's WebSocket and metrics
// endpoints), /proc/PID/status of a server process the caller names, and
// the progress writer it is given. It never writes to stdout itself.
package gameday
