// Package gameday is Homeroom's load tool: it simulates a class against a
// running node over the public wire protocol (homeroom.v1, docs/protocol.md)
// and reports what the students experienced.
//
// Every client joins like a real one: with a join token, minted by the
// tool with the node's HS256 secret ([Config.Secret]) and presented as the
// subprotocol entry homeroom.token.<jwt>, for a user the node's catalog
// has enrolled in the session's course. With an admin key
// ([Config.AdminKey]) a run first creates its institution, course, live
// session and enrollments through the node's admin API; without one they
// must exist (see [Run]). A refused join is measured like any other
// failure: its close code (4005 for a wrong secret, 4003 for a user not
// enrolled) is counted in the report's closes.
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
// The chat and poll scenarios exercise the activities of
// docs/activities.md with the same cheap students, which then read app
// frames too:
//
//   - chat (chat.go): random students send chat_send at a steady rate, each
//     at most once a second (the server's per-student limit). A message's
//     client id carries its number in the run, which gives its send time;
//     every student (the sender included: its copy is its
//     acknowledgement) measures the delivery latency when it reads the
//     frame, and checks that each message arrives once, with a seq above
//     the last one it saw;
//   - poll (poll.go): the teacher opens a poll; every student answers once
//     at a random moment of the window with an attempt id of its own,
//     sending it again with the same id after a temporary error or no
//     acknowledgement in time; the teacher closes the poll and publishes
//     the results. Every step's latency is measured by every student, and
//     the answers stored are counted afterwards through the admin API
//     (GET /admin/sessions/{id}/polls), not from the acknowledgements.
//
// A scenario lives in files of its own and registers in the scenarios
// table (scenario.go), reusing the clients, counters and report of this
// package; its own figures are a pointer embedded in [Report]
// (figures.go).
//
// The package touches only the network (the node's WebSocket, metrics and,
// with an admin key, admin API endpoints), /proc/PID/status of a server
// process the caller names, and the progress writer it is given. It never
// writes to stdout itself.
package gameday
