package crdt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// ChunkType is the type byte of an Automerge binary chunk.
type ChunkType byte

// The chunk types of the Automerge binary format. Newer automerge versions
// also define bundle chunks (3 and 4); the automerge-go build Homeroom uses
// cannot read them, so [ParseChunks] rejects them with [ErrChunkType].
const (
	ChunkDocument   ChunkType = 0 // a whole, compacted document (Save)
	ChunkChange     ChunkType = 1 // one change
	ChunkCompressed ChunkType = 2 // one change whose body is raw DEFLATE
)

// String names the chunk type.
func (t ChunkType) String() string {
	switch t {
	case ChunkDocument:
		return "document"
	case ChunkChange:
		return "change"
	case ChunkCompressed:
		return "compressed change"
	default:
		return fmt.Sprintf("chunk type %d", byte(t))
	}
}

// DefaultMaxTotal is the size limit [ParseChunks] applies when given a
// maxTotal of zero or less, and the limit [Doc.ApplyChanges] applies to one
// batch: 64 MiB after inflating compressed changes.
const DefaultMaxTotal = 64 << 20

// headerMin is magic (4) + checksum (4) + type (1) + at least one length byte.
const headerMin = 10

var magic = [4]byte{0x85, 0x6f, 0x4a, 0x83}

// Chunk is one parsed, checksum-verified chunk.
type Chunk struct {
	// Type is the chunk's type byte.
	Type ChunkType
	// Hash is the change hash. For a compressed change it is the hash of the
	// inflated change, which is the hash automerge uses. For a document it is
	// the SHA-256 of the chunk, which identifies no change.
	Hash Hash
	// Deps are the hashes of the changes this change depends on; nil for a
	// document.
	Deps []Hash
	// ActorHex is the hex actor id of the change's author; empty for a
	// document.
	ActorHex string
	// Seq is the change's sequence number for its actor (1 for the first);
	// zero for a document.
	Seq uint64
	// StartOp is the counter of the change's first operation; Ops is the
	// number of operations (at most MaxChangeOps). Both are zero for a
	// document. The gateway can budget work with Ops.
	StartOp, Ops uint64
	// Raw is the exact bytes of the chunk as given to ParseChunks (still
	// compressed for a compressed change). It aliases the input.
	Raw []byte
	// body is a change's body after the chunk header (inflated for a
	// compressed change), kept for DecodeOps; nil for a document.
	body []byte
}

// ParseChunks splits b into Automerge chunks and checks everything about
// them that can be checked without automerge: magic bytes, type, declared
// lengths, checksums and, for changes, the change header (dependencies,
// actor, sequence number, start op, time, message, column layout). Trailing
// bytes that do not form a whole chunk are an error. Empty input yields no
// chunks.
//
// maxTotal bounds the total size of the chunks after compressed changes are
// inflated; zero or less means [DefaultMaxTotal]. ParseChunks never panics
// and allocates at most O(len(b)) plus the bounded inflate buffers.
//
// Errors wrap [ErrBadMagic], [ErrBadChecksum], [ErrTruncated],
// [ErrTooLarge], [ErrChunkType] or [ErrMalformed].
func ParseChunks(b []byte, maxTotal int) ([]Chunk, error) {
	if maxTotal <= 0 {
		maxTotal = DefaultMaxTotal
	}
	var chunks []Chunk
	budget := maxTotal
	for off := 0; off < len(b); {
		c, size, err := parseChunk(b[off:], budget, true)
		if err != nil {
			return nil, fmt.Errorf("failed to parse chunk %d at offset %d: %w", len(chunks), off, err)
		}
		budget -= size
		off += len(c.Raw)
		chunks = append(chunks, c)
	}
	return chunks, nil
}

// parseChunk parses the chunk at the start of b. size is the chunk's size
// after inflation, which must not exceed budget. strict applies the limits
// on operations (MaxChangeOps, maxKeyWrites) meant for untrusted changes.
func parseChunk(b []byte, budget int, strict bool) (c Chunk, size int, err error) {
	if !bytes.HasPrefix(b, magic[:min(len(b), len(magic))]) {
		return Chunk{}, 0, ErrBadMagic
	}
	if len(b) < headerMin {
		return Chunk{}, 0, ErrTruncated
	}
	c.Type = ChunkType(b[8])
	if c.Type > ChunkCompressed {
		return Chunk{}, 0, fmt.Errorf("type byte %d: %w", b[8], ErrChunkType)
	}
	r := reader{b: b, off: 9}
	n := r.uleb("chunk length")
	body := r.take(n, "chunk body")
	if r.err != nil {
		return Chunk{}, 0, r.err
	}
	c.Raw = b[:r.off]
	size = len(c.Raw)
	if c.Type == ChunkCompressed {
		// budget-size is the room left for the inflated body and its header.
		body, err = inflate(body, budget-headerMin)
		if err != nil {
			return Chunk{}, 0, err
		}
		size = 9 + ulebLen(uint64(len(body))) + len(body)
	}
	if size > budget {
		return Chunk{}, 0, ErrTooLarge
	}
	hashType := c.Type
	if hashType == ChunkCompressed {
		hashType = ChunkChange
	}
	c.Hash = chunkHash(hashType, body)
	if !bytes.Equal(c.Hash[:4], b[4:8]) {
		return Chunk{}, 0, ErrBadChecksum
	}
	if c.Type != ChunkDocument {
		if err := c.parseChangeHeader(body, strict); err != nil {
			return Chunk{}, 0, err
		}
		c.body = body
	}
	return c, size, nil
}

// chunkHash is SHA-256 over type byte, ULEB128 body length and body.
func chunkHash(t ChunkType, body []byte) Hash {
	var hdr [1 + binary.MaxVarintLen64]byte
	hdr[0] = byte(t)
	n := 1 + binary.PutUvarint(hdr[1:], uint64(len(body)))
	h := sha256.New()
	h.Write(hdr[:n])
	h.Write(body)
	var out Hash
	h.Sum(out[:0])
	return out
}
