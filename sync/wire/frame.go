package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Subprotocol is the WebSocket subprotocol a client must offer.
const Subprotocol = "homeroom.v1"

// Version is the protocol number carried in hello and welcome.
const Version = 1

// Type identifies a frame.
type Type byte

// Frame types; see docs/protocol.md.
const (
	TypeHello    Type = 0x01
	TypeWelcome  Type = 0x02
	TypeSnapshot Type = 0x03
	TypeChanges  Type = 0x04
	TypeSync     Type = 0x05
	TypePresence Type = 0x06
	TypeApp      Type = 0x07
	TypeAck      Type = 0x08
	TypeError    Type = 0x09
	TypeSynced   Type = 0x0A
)

var typeNames = [...]string{
	TypeHello: "hello", TypeWelcome: "welcome", TypeSnapshot: "snapshot",
	TypeChanges: "changes", TypeSync: "sync", TypePresence: "presence",
	TypeApp: "app", TypeAck: "ack", TypeError: "error", TypeSynced: "synced",
}

func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return fmt.Sprintf("type(0x%02x)", byte(t))
}

// Known reports whether t is a frame type of this protocol version.
func (t Type) Known() bool { return t >= TypeHello && t <= TypeSynced }

// Ephemeral reports whether frames of this type may be dropped under
// backpressure without losing anything a client must see.
func (t Type) Ephemeral() bool { return t == TypePresence }

// Frame is one decoded frame. Payload aliases the message it was read from.
type Frame struct {
	Type    Type
	Payload []byte
}

// Errors returned by the decoders.
var (
	// ErrEmpty is returned for a message with no frames.
	ErrEmpty = errors.New("empty message")
	// ErrTruncated is returned when a length runs past the end of the message.
	ErrTruncated = errors.New("truncated frame")
	// ErrBadLength is returned for a length varint that is malformed or overflows.
	ErrBadLength = errors.New("malformed frame length")
)

// AppendFrame appends one encoded frame to dst and returns the extended slice.
func AppendFrame(dst []byte, t Type, payload []byte) []byte {
	dst = append(dst, byte(t))
	dst = binary.AppendUvarint(dst, uint64(len(payload)))
	return append(dst, payload...)
}

// EncodeFrame returns one frame as a fresh byte slice.
func EncodeFrame(t Type, payload []byte) []byte {
	return AppendFrame(make([]byte, 0, len(payload)+1+binary.MaxVarintLen32), t, payload)
}

// Next splits the first frame off msg and returns it with the remaining bytes.
// It never allocates and never panics, whatever msg holds.
func Next(msg []byte) (Frame, []byte, error) {
	if len(msg) == 0 {
		return Frame{}, nil, ErrEmpty
	}
	t := Type(msg[0])
	n, w := binary.Uvarint(msg[1:])
	if w <= 0 {
		if w == 0 {
			return Frame{}, nil, fmt.Errorf("%w: %s length", ErrTruncated, t)
		}
		return Frame{}, nil, fmt.Errorf("%w: %s", ErrBadLength, t)
	}
	rest := msg[1+w:]
	if n > uint64(len(rest)) {
		return Frame{}, nil, fmt.Errorf("%w: %s declares %d bytes, %d remain", ErrTruncated, t, n, len(rest))
	}
	return Frame{Type: t, Payload: rest[:n:n]}, rest[n:], nil
}

// Split decodes every frame of one WebSocket message. At most max frames are
// returned; more is an error, so a hostile message cannot make the caller do
// unbounded work.
func Split(msg []byte, max int) ([]Frame, error) {
	if len(msg) == 0 {
		return nil, ErrEmpty
	}
	var frames []Frame
	for len(msg) > 0 {
		if len(frames) == max {
			return nil, fmt.Errorf("more than %d frames in one message", max)
		}
		f, rest, err := Next(msg)
		if err != nil {
			return nil, err
		}
		frames = append(frames, f)
		msg = rest
	}
	return frames, nil
}

// AppendChanges appends a changes frame carrying ref and the concatenated
// change chunks.
func AppendChanges(dst []byte, ref uint64, chunks []byte) []byte {
	var hdr [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(hdr[:], ref)
	dst = append(dst, byte(TypeChanges))
	dst = binary.AppendUvarint(dst, uint64(h+len(chunks)))
	dst = append(dst, hdr[:h]...)
	return append(dst, chunks...)
}

// ParseChanges splits a changes payload into its ref and change chunks.
func ParseChanges(payload []byte) (ref uint64, chunks []byte, err error) {
	ref, w := binary.Uvarint(payload)
	if w <= 0 {
		return 0, nil, fmt.Errorf("changes: %w", ErrBadLength)
	}
	return ref, payload[w:], nil
}
