package crdt

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"unicode/utf8"
)

// A change chunk's body, after the chunk header: dependencies, actor, seq,
// start op, time, message, other actors, then column metadata and column
// data describing the operations, then optional extra bytes. See the
// Automerge binary format specification, "change chunks".

// MaxChangeOps is the most operations one change may hold in
// [ParseChunks] and so in [Doc.ApplyChanges]. A change's ops are
// run-length encoded, so a few bytes can claim billions of them, and
// automerge would try to apply them all: 16,384 ops on distinct keys take
// it about 0.2 s. Local batches committed with [Doc.Commit] should stay
// below it, or Go peers will refuse them; JavaScript clients should write
// long text as ImmutableString (one op) rather than Text (one per
// character).
const MaxChangeOps = 1 << 14

// changeColumns are the column specs automerge writes in a change, each
// (id << 4 | type): object, key, insert, action, value, pred, expand and
// mark name. automerge accepts other specs and empty columns but drops them
// when it re-encodes the change while saving the document, which then
// fails to load; so ParseChunks refuses them.
var changeColumns = map[uint64]bool{
	0<<4 | 1: true, 0<<4 | 2: true, // object actor, counter
	1<<4 | 1: true, 1<<4 | 3: true, 1<<4 | 5: true, // key actor, counter, string
	3<<4 | 4: true,                 // insert
	4<<4 | 2: true,                 // action
	5<<4 | 6: true, 5<<4 | 7: true, // value metadata, value
	7 << 4: true, 7<<4 | 1: true, 7<<4 | 3: true, // pred group (type 0), actor, counter
	9<<4 | 4:  true, // expand
	10<<4 | 5: true, // mark name
}

// actionColumn is the column spec of a change's action column (id 4,
// type integer): it has one row per operation.
const actionColumn = 4<<4 | 2

// parseChangeHeader reads the change header that starts a change body (see
// the Automerge binary format, "change chunks") and checks the column
// layout after it, failing where automerge-rs would fail to parse.
func (c *Chunk) parseChangeHeader(body []byte, strict bool) error {
	r := reader{b: body}
	ndeps := r.uleb("dependency count")
	if r.err == nil && ndeps > uint64(r.remaining()/len(Hash{})) {
		r.fail(ErrTruncated, "dependencies")
	}
	if r.err == nil && ndeps > 0 {
		c.Deps = make([]Hash, ndeps)
		for i := range c.Deps {
			copy(c.Deps[i][:], r.take(uint64(len(Hash{})), "dependency"))
			if i > 0 && bytes.Compare(c.Deps[i-1][:], c.Deps[i][:]) >= 0 {
				r.fail(ErrMalformed, "dependencies not sorted")
			}
		}
	}
	actor := r.take(r.uleb("actor length"), "actor")
	if r.err == nil && len(actor) == 0 {
		r.fail(ErrMalformed, "empty actor")
	}
	c.Seq = r.uleb("seq")
	if r.err == nil && c.Seq == 0 {
		r.fail(ErrMalformed, "seq 0")
	}
	c.StartOp = r.uleb("start op")
	if r.err == nil && (c.StartOp == 0 || c.StartOp > 1<<32-1) {
		r.fail(ErrMalformed, fmt.Sprintf("start op %d", c.StartOp))
	}
	r.sleb("time")
	msg := r.take(r.uleb("message length"), "message")
	if r.err == nil && !utf8.Valid(msg) {
		r.fail(ErrMalformed, "message is not UTF-8")
	}
	nactors := r.uleb("other actor count")
	if r.err == nil && nactors > uint64(r.remaining()) {
		r.fail(ErrTruncated, "other actors")
	}
	prev := actor
	for i := uint64(0); i < nactors && r.err == nil; i++ {
		other := r.take(r.uleb("other actor length"), "other actor")
		switch {
		case r.err != nil:
		case bytes.Equal(other, actor):
			r.fail(ErrMalformed, "author listed as other actor")
		case i > 0 && bytes.Compare(prev, other) >= 0:
			r.fail(ErrMalformed, "other actors not sorted")
		}
		prev = other
	}
	cols, action := r.columns()
	if r.err != nil {
		return r.err
	}
	maxOps := uint64(math.MaxUint64)
	if strict {
		maxOps = MaxChangeOps
	}
	ops, err := rleRows(action, maxOps)
	if err != nil {
		return fmt.Errorf("action column: %w", err)
	}
	if strict {
		if err := cols.checkWrites(ops); err != nil {
			return err
		}
	}
	c.Ops = ops
	c.ActorHex = hex.EncodeToString(actor)
	return nil
}

// columnSpan is where one column's data lies in a change's column data.
type columnSpan struct{ spec, off, n uint64 }

// columnLayout reads the column metadata of a change and takes its column
// data, checking that every column is known, uncompressed, non-empty, in
// order and within the body. ParseChunks and DecodeOps share it, so both
// accept exactly the same changes. Whatever follows the columns is the
// change's "extra bytes", which automerge keeps.
func (r *reader) columnLayout() (data []byte, spans []columnSpan) {
	ncols := r.uleb("column count")
	if r.err == nil && ncols > uint64(r.remaining()/2) {
		r.fail(ErrTruncated, "column metadata")
	}
	const deflateBit = 1 << 3
	var total, prev uint64
	for i := uint64(0); i < ncols && r.err == nil; i++ {
		spec := r.uleb("column spec")
		n := r.uleb("column length")
		switch {
		case r.err != nil:
		case spec > 1<<32-1:
			r.fail(ErrMalformed, "column spec overflows 32 bits")
		case spec&deflateBit != 0:
			r.fail(ErrMalformed, "compressed column in a change")
		case !changeColumns[spec]:
			r.fail(ErrMalformed, fmt.Sprintf("unknown column %d", spec))
		case n == 0:
			r.fail(ErrMalformed, "empty column")
		case i > 0 && spec <= prev:
			r.fail(ErrMalformed, "columns not sorted")
		case n > uint64(len(r.b)) || total+n > uint64(len(r.b)):
			r.fail(ErrTruncated, "column data")
		}
		if r.err == nil {
			spans = append(spans, columnSpan{spec, total, n})
		}
		prev = spec
		total += n
	}
	data = r.take(total, "column data")
	if r.err != nil {
		return nil, nil
	}
	return data, spans
}

// column returns the data of the column with spec, nil if absent.
func column(data []byte, spans []columnSpan, spec uint64) []byte {
	for _, s := range spans {
		if s.spec == spec {
			return data[s.off : s.off+s.n]
		}
	}
	return nil
}

// columns returns the data of the columns checkWrites reads and of the
// action column (nil if absent).
func (r *reader) columns() (cols opColumns, action []byte) {
	data, spans := r.columnLayout()
	if r.err != nil {
		return opColumns{}, nil
	}
	col := func(spec uint64) []byte { return column(data, spans, spec) }
	return opColumns{
		objActor: col(0<<4 | 1), objCtr: col(0<<4 | 2),
		keyActor: col(1<<4 | 1), keyCtr: col(1<<4 | 3), keyStr: col(1<<4 | 5),
		insert: col(3<<4 | 4),
	}, col(actionColumn)
}
