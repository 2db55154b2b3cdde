package gameday

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// frameReader reads homeroom.v1 frames one at a time from a connection,
// streaming through each message (the server coalesces many frames into
// one), so a client buffers only what it keeps: a cheap student skips
// snapshots and walks change chunks without holding their bodies.
//
// After header, the frame's payload must be consumed with exactly one of
// payload, discard or changeSums. Reads are not bounded by a context: the
// owner ends them by closing the connection.
type frameReader struct {
	conn  *websocket.Conn
	br    *bufio.Reader
	inMsg bool
	buf   []byte
}

func newFrameReader(conn *websocket.Conn) *frameReader {
	return &frameReader{conn: conn, br: bufio.NewReaderSize(nil, 4096)}
}

// header reads the type and payload length of the next frame, opening the
// next message when the current one is used up.
func (fr *frameReader) header() (wire.Type, int, error) {
	for {
		if !fr.inMsg {
			typ, r, err := fr.conn.Reader(context.Background())
			if err != nil {
				return 0, 0, err
			}
			if typ != websocket.MessageBinary {
				if _, err := io.Copy(io.Discard, r); err != nil {
					return 0, 0, err
				}
				continue
			}
			fr.br.Reset(r)
			fr.inMsg = true
		}
		t, err := fr.br.ReadByte()
		if err == io.EOF {
			fr.inMsg = false
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		n, err := binary.ReadUvarint(fr.br)
		if err != nil || n > readLimit {
			return 0, 0, fmt.Errorf("malformed %s frame from server: bad length", wire.Type(t))
		}
		return wire.Type(t), int(n), nil
	}
}

// payload reads the current frame's n payload bytes into a buffer reused
// by the next call.
func (fr *frameReader) payload(n int) ([]byte, error) {
	if cap(fr.buf) < n {
		fr.buf = make([]byte, n, max(n, 4096))
	}
	p := fr.buf[:n]
	if _, err := io.ReadFull(fr.br, p); err != nil {
		return nil, fmt.Errorf("failed to read frame payload: %w", err)
	}
	return p, nil
}

// next reads the next frame whole.
func (fr *frameReader) next() (wire.Type, []byte, error) {
	t, n, err := fr.header()
	if err != nil {
		return 0, nil, err
	}
	p, err := fr.payload(n)
	return t, p, err
}

// release drops a large payload buffer once the big frames (snapshot,
// initial changes) are handled, so idle clients stay small.
func (fr *frameReader) release() {
	if cap(fr.buf) > 64<<10 {
		fr.buf = nil
	}
}

// discard skips the current frame's n payload bytes.
func (fr *frameReader) discard(n int) error {
	if n <= fr.br.Buffered() {
		_, err := fr.br.Discard(n)
		return err
	}
	bp := skipBufs.Get().(*[]byte)
	defer skipBufs.Put(bp)
	buf := *bp
	for n > 0 {
		// Reads at least as large as br's buffer go straight to the
		// connection: a snapshot costs a few large reads.
		k, err := fr.br.Read(buf[:min(n, len(buf))])
		n -= k
		if err != nil && n > 0 {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("failed to skip frame payload: %w", err)
		}
	}
	return nil
}

// skipBufs lend discard its large buffers, so no client owns one.
var skipBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// changeSums walks the current changes frame's n payload bytes (ref, then
// change chunks) and appends the checksum of every chunk to sums, holding
// only chunk headers: bodies are skipped as they stream by.
func (fr *frameReader) changeSums(n int, sums []uint32) ([]uint32, error) {
	_, w, err := fr.uvarint()
	if err != nil {
		return sums, fmt.Errorf("changes ref: %w", err)
	}
	n -= w
	const hdrLen = 9 // magic, checksum, type
	for n > 0 {
		if n < hdrLen+1 {
			return sums, errBadChunk
		}
		// Peek, not a read into a local array, which would escape.
		hdr, err := fr.br.Peek(hdrLen)
		if err != nil {
			return sums, err
		}
		if [4]byte(hdr[:4]) != chunkMagic {
			return sums, errBadChunk
		}
		sums = append(sums, binary.BigEndian.Uint32(hdr[4:8]))
		if _, err := fr.br.Discard(hdrLen); err != nil {
			return sums, err
		}
		size, w, err := fr.uvarint()
		if err != nil {
			return sums, err
		}
		n -= hdrLen + w
		if size > uint64(n) {
			return sums, errBadChunk
		}
		if err := fr.discard(int(size)); err != nil {
			return sums, err
		}
		n -= int(size)
	}
	return sums, nil
}

// uvarint reads an unsigned LEB128 number and says how many bytes it took.
func (fr *frameReader) uvarint() (uint64, int, error) {
	var x uint64
	for i := range binary.MaxVarintLen64 {
		b, err := fr.br.ReadByte()
		if err != nil {
			return 0, i, err
		}
		if b < 0x80 {
			return x | uint64(b)<<(7*i), i + 1, nil
		}
		x |= uint64(b&0x7f) << (7 * i)
	}
	return 0, binary.MaxVarintLen64, errBadChunk
}
