package crdt

import "errors"

// ErrMissingDeps is returned by [Doc.ApplyChanges] when a change depends on
// a change that is neither in the document nor earlier in the same batch.
// Nothing from the batch is applied; the sender should resend from older
// heads.
var ErrMissingDeps = errors.New("crdt: change depends on unknown changes")

// ErrUnknownHeads is returned by [Doc.ChangesSince] when one of the given
// heads is not a change in the document.
var ErrUnknownHeads = errors.New("crdt: unknown heads")

// ErrBadMagic is returned by [ParseChunks] when a chunk does not start with
// the Automerge magic bytes 0x85 0x6f 0x4a 0x83.
var ErrBadMagic = errors.New("crdt: bad magic bytes")

// ErrBadChecksum is returned by [ParseChunks] when a chunk's checksum is not
// the first four bytes of its SHA-256 hash.
var ErrBadChecksum = errors.New("crdt: bad checksum")

// ErrTruncated is returned by [ParseChunks] when a chunk, or a length-prefixed
// field inside it, ends before its declared length.
var ErrTruncated = errors.New("crdt: truncated chunk")

// ErrTooLarge is returned by [ParseChunks] when the chunks, after inflating
// compressed ones, exceed the caller's size limit.
var ErrTooLarge = errors.New("crdt: chunks too large")

// ErrChunkType is returned when a chunk has a type the caller does not
// accept: an unknown type byte, a document where changes are expected, or a
// change where a document is expected.
var ErrChunkType = errors.New("crdt: unexpected chunk type")

// ErrMalformed is returned by [ParseChunks] for a well-framed chunk whose
// contents are invalid: a non-minimal or overflowing LEB128 number, a start
// op of zero, a message that is not UTF-8, compressed or unsorted columns,
// or a compressed chunk that does not inflate.
var ErrMalformed = errors.New("crdt: malformed chunk")

// ErrRejected is returned by [Doc.ApplyChanges] for a well-formed change
// that cannot follow the document: its actor's sequence numbers skip or
// repeat, or its op counters go backwards (nothing is applied), or
// automerge itself refused it (the changes that did get in are reported in
// the returned [Applied]).
var ErrRejected = errors.New("crdt: change rejected by automerge")

// ErrSchema is returned when an edit would break the document schema (an
// invalid stroke or presence value, a missing or mistyped section), or when
// a document was written by a newer schema version.
var ErrSchema = errors.New("crdt: schema violation")

// ErrNotFound is returned by edits that target a stroke or a presence entry
// that does not exist.
var ErrNotFound = errors.New("crdt: not found")
