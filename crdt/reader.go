package crdt

import "fmt"

// reader decodes the primitives of the Automerge binary format from a byte
// slice. The first error sticks: later reads return zero values, so a parser
// can read a whole header and check r.err once.
//
// LEB128 numbers are decoded exactly as automerge-rs does: encodings longer
// than necessary and values that overflow 64 bits are errors.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(err error, what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at byte %d: %w", what, r.off, err)
	}
}

func (r *reader) remaining() int {
	return len(r.b) - r.off
}

// take returns the next n bytes, aliasing the input.
func (r *reader) take(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(r.remaining()) {
		r.fail(ErrTruncated, what)
		return nil
	}
	out := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return out
}

// uleb reads an unsigned LEB128 number.
func (r *reader) uleb(what string) uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; ; i++ {
		if r.off >= len(r.b) {
			r.fail(ErrTruncated, what)
			return 0
		}
		c := r.b[r.off]
		r.off++
		if i == 9 && c != 1 {
			// The tenth byte may only carry bit 63, and must end the number.
			r.fail(ErrMalformed, what+" (LEB128 overflow)")
			return 0
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if i > 0 && c == 0 {
				r.fail(ErrMalformed, what+" (overlong LEB128)")
				return 0
			}
			return v
		}
	}
}

// sleb reads a signed LEB128 number.
func (r *reader) sleb(what string) int64 {
	if r.err != nil {
		return 0
	}
	var v int64
	var prev byte
	for i := 0; ; i++ {
		if r.off >= len(r.b) {
			r.fail(ErrTruncated, what)
			return 0
		}
		c := r.b[r.off]
		r.off++
		shift := uint(7 * i)
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			switch {
			case i == 9 && c != 0 && c != 0x7f:
				r.fail(ErrMalformed, what+" (LEB128 overflow)")
				return 0
			case i > 0 && ((c == 0 && prev&0x40 == 0) || (c == 0x7f && prev&0x40 != 0)):
				r.fail(ErrMalformed, what+" (overlong LEB128)")
				return 0
			case shift+7 < 64 && c&0x40 != 0:
				v |= -1 << (shift + 7)
			}
			return v
		}
		if i == 9 {
			r.fail(ErrMalformed, what+" (LEB128 overflow)")
			return 0
		}
		prev = c
	}
}

// ulebLen is the length of v encoded as unsigned LEB128.
func ulebLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// rleRows counts the rows of an RLE-encoded column of unsigned integers
// (the encoding of a change's action column), failing with ErrTooLarge once
// the count exceeds max. Runs are: n > 0, one value repeated n times; n < 0,
// -n literal values; 0, a count of nulls.
func rleRows(col []byte, max uint64) (uint64, error) {
	r := reader{b: col}
	var rows uint64
	for r.err == nil && r.remaining() > 0 {
		var n uint64
		switch run := r.sleb("run length"); {
		case r.err != nil:
		case run > 0:
			r.uleb("run value")
			n = uint64(run)
		case run < 0:
			if run < -int64(r.remaining()) {
				r.fail(ErrTruncated, "literal run")
				break
			}
			n = uint64(-run)
			for i := uint64(0); i < n && r.err == nil; i++ {
				r.uleb("literal value")
			}
		default:
			n = r.uleb("null run")
		}
		if r.err == nil && n > max-rows {
			return 0, fmt.Errorf("more than %d ops: %w", max, ErrTooLarge)
		}
		rows += n
	}
	return rows, r.err
}
