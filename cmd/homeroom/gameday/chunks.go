package gameday

import (
	"encoding/binary"
	"errors"
)

// chunkMagic opens every Automerge chunk.
var chunkMagic = [4]byte{0x85, 0x6f, 0x4a, 0x83}

var errBadChunk = errors.New("malformed change chunk")

// nextChecksum reads the chunk at the start of b without Automerge:
//
//	magic 85 6f 4a 83 | checksum:4 | type:1 | length:uleb128 | body[length]
//
// It returns the checksum (big-endian, as the bytes appear) and the bytes
// after the chunk. It allocates nothing and verifies nothing beyond the
// framing: the server has already checked every chunk it relays.
func nextChecksum(b []byte) (sum uint32, rest []byte, err error) {
	if len(b) < 10 || [4]byte(b[:4]) != chunkMagic {
		return 0, nil, errBadChunk
	}
	sum = binary.BigEndian.Uint32(b[4:8])
	n, w := binary.Uvarint(b[9:])
	if w <= 0 || n > uint64(len(b)-9-w) {
		return 0, nil, errBadChunk
	}
	return sum, b[9+w+int(n):], nil
}

// checksumOf returns the checksum of a single chunk.
func checksumOf(chunk []byte) uint32 {
	if len(chunk) < 8 {
		return 0
	}
	return binary.BigEndian.Uint32(chunk[4:8])
}
