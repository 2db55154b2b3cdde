// Package crdt is Homeroom's typed view of a live session's Automerge
// document.
//
// One document holds everything that must converge between the server and
// thousands of browser clients: the whiteboard (strokes), raised hands and
// presence. The schema is described in docs/document.md; Go and JavaScript
// clients must agree on it.
//
// The package wraps github.com/automerge/automerge-go, which calls into
// Rust through cgo. A panic inside that Rust code aborts the whole process,
// and automerge accepts some changes that hurt later, so every byte that
// comes from the network is checked in Go first ([ParseChunks]) and only
// well-formed change chunks whose dependencies are satisfied, whose actor's
// sequence continues and whose size is bounded ever reach automerge
// ([Doc.ApplyChanges]). What Go cannot check (a change automerge accepts
// but cannot save again) is caught by [Doc.SaveChecked].
//
// A [Doc] is owned by a single goroutine (the session goroutine); it is not
// safe for concurrent use. Server-authored edits are batched with the edit
// methods ([Doc.SetPresence], [Doc.AddStroke], ...) and turned into one
// change by [Doc.Commit], whose bytes are ready to broadcast.
//
// The package touches nothing but memory: no I/O, no goroutines, no logging.
package crdt
