package crdt

import (
	"errors"
	"fmt"
)

// syncMessageV1 is the type byte of an Automerge sync message this
// automerge build reads.
const syncMessageV1 = 0x42

// ErrBadSyncMessage is wrapped by CheckSyncMessage for anything that is
// not a well-formed sync message.
var ErrBadSyncMessage = errors.New("malformed sync message")

// CheckSyncMessage checks an Automerge sync message in Go before its bytes
// reach automerge; see ParseSyncMessage.
func CheckSyncMessage(msg []byte) error {
	_, err := ParseSyncMessage(msg)
	return err
}

// ParseSyncMessage checks an Automerge sync message in Go: type byte, heads,
// needs, have entries with their bloom filters, and every change it carries
// (each must pass ParseChunks). Bytes after the changes (capabilities of
// newer peers) are allowed. It returns the carried changes concatenated, so
// a caller can apply them through Doc.ApplyChanges, with all its checks,
// before the sync state sees the message.
func ParseSyncMessage(msg []byte) (changes []byte, err error) {
	if len(msg) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrBadSyncMessage)
	}
	if msg[0] != syncMessageV1 {
		return nil, fmt.Errorf("%w: type byte 0x%02x, want 0x%02x", ErrBadSyncMessage, msg[0], syncMessageV1)
	}
	r := reader{b: msg, off: 1}
	hashList := func(what string) {
		n := r.uleb(what + " count")
		if n > uint64(r.remaining()/32) {
			r.fail(ErrTruncated, what)
			return
		}
		r.take(n*32, what)
	}
	hashList("heads")
	hashList("needs")
	haves := r.uleb("have count")
	if haves > uint64(r.remaining()) {
		r.fail(ErrTruncated, "haves")
	}
	for i := uint64(0); i < haves && r.err == nil; i++ {
		hashList("have.last_sync")
		r.take(r.uleb("bloom length"), "bloom")
	}
	count := r.uleb("change count")
	if count > uint64(r.remaining()) {
		r.fail(ErrTruncated, "changes")
	}
	for i := uint64(0); i < count && r.err == nil; i++ {
		raw := r.take(r.uleb("change length"), "change")
		if r.err != nil {
			break
		}
		cs, err := ParseChunks(raw, 0)
		if err != nil {
			return nil, fmt.Errorf("%w: change %d: %w", ErrBadSyncMessage, i, err)
		}
		if len(cs) != 1 || cs[0].Type == ChunkDocument {
			return nil, fmt.Errorf("%w: change %d is not one change chunk", ErrBadSyncMessage, i)
		}
		changes = append(changes, raw...)
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSyncMessage, r.err)
	}
	return changes, nil
}

// CountChunks returns how many chunks the concatenation b holds, reading
// only their headers. b must already be valid (it came from automerge or
// passed ParseChunks); it returns 0 at the first malformed header.
func CountChunks(b []byte) int {
	n := 0
	for len(b) > 0 {
		if len(b) < headerMin {
			return n
		}
		r := reader{b: b, off: 9}
		l := r.uleb("chunk length")
		r.take(l, "chunk body")
		if r.err != nil {
			return n
		}
		b = b[r.off:]
		n++
	}
	return n
}
