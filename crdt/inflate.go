package crdt

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
)

// inflate decompresses the raw DEFLATE body of a compressed change chunk,
// failing with ErrTooLarge once the output would exceed limit bytes and with
// ErrMalformed if the stream is corrupt or followed by trailing bytes.
func inflate(body []byte, limit int) ([]byte, error) {
	if limit < 0 {
		return nil, ErrTooLarge
	}
	src := bytes.NewReader(body)
	fr := flate.NewReader(src)
	defer fr.Close()
	out, err := io.ReadAll(io.LimitReader(fr, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("failed to inflate compressed change: %v: %w", err, ErrMalformed)
	}
	if len(out) > limit {
		return nil, ErrTooLarge
	}
	if src.Len() != 0 {
		return nil, fmt.Errorf("failed to inflate compressed change: %d trailing bytes: %w", src.Len(), ErrMalformed)
	}
	return out, nil
}
