package crdt

import (
	"fmt"
	"math"
)

// maxKeyWrites is the most non-insert operations one change may make on a
// single (object, key). automerge's cost grows with the square of the
// concurrent values a key holds: an 81-byte change with 100,000 writes to
// one key keeps it busy for minutes, 10,000 for most of a second. Honest
// changes write a key once, or a few times when a value is deleted and set
// again in one transaction.
const maxKeyWrites = 256

// opColumns holds the data of the columns checkWrites reads.
type opColumns struct {
	objActor, objCtr, keyActor, keyCtr, keyStr, insert []byte
}

// opKey is where an operation writes: object id (zero for the root) and
// key (a map key, or a list element id).
type opKey struct {
	objActor, objCtr uint64
	objSet           bool
	keyActor         uint64
	keyCtr           int64
	keyStr           string
	keyActorSet      bool
	keyCtrSet        bool
	keyStrSet        bool
}

// checkWrites decodes the object, key and insert columns of a change's ops
// operations and fails with ErrTooLarge when one key is written more than
// maxKeyWrites times. Columns that end early read as nulls; automerge
// refuses such changes later.
func (c opColumns) checkWrites(ops uint64) error {
	if ops <= maxKeyWrites {
		return nil
	}
	objA, objC := rleDecoder{r: reader{b: c.objActor}}, rleDecoder{r: reader{b: c.objCtr}}
	keyA, keyS := rleDecoder{r: reader{b: c.keyActor}}, rleDecoder{r: reader{b: c.keyStr}, str: true}
	keyC := rleDecoder{r: reader{b: c.keyCtr}, signed: true}
	insert := boolDecoder{r: reader{b: c.insert}}
	writes := make(map[opKey]int)
	for i := uint64(0); i < ops; i++ {
		var k opKey
		k.objActor, _, k.objSet = objA.next()
		k.objCtr, _, _ = objC.next()
		k.keyActor, _, k.keyActorSet = keyA.next()
		var ctr uint64
		ctr, _, k.keyCtrSet = keyC.next()
		k.keyCtr = int64(ctr)
		_, k.keyStr, k.keyStrSet = keyS.next()
		ins := insert.next()
		for _, d := range []*rleDecoder{&objA, &objC, &keyA, &keyC, &keyS} {
			if d.r.err != nil {
				return fmt.Errorf("op columns: %w", d.r.err)
			}
		}
		if insert.r.err != nil {
			return fmt.Errorf("insert column: %w", insert.r.err)
		}
		if ins {
			continue
		}
		if writes[k]++; writes[k] > maxKeyWrites {
			return fmt.Errorf("more than %d writes to one key in a change: %w", maxKeyWrites, ErrTooLarge)
		}
	}
	return nil
}

// rleDecoder reads an RLE column of unsigned integers, signed deltas
// (signed: values are accumulated into absolute values) or strings (str).
type rleDecoder struct {
	r           reader
	signed, str bool
	left        uint64 // values left in the current run
	literal     bool
	null        bool
	u           uint64 // repeated value (or running absolute value if signed)
	s           string
	abs         int64
}

// next returns the next value; ok is false for a null or an exhausted
// column.
func (d *rleDecoder) next() (u uint64, s string, ok bool) {
	for d.left == 0 {
		if d.r.err != nil || d.r.remaining() == 0 {
			return 0, "", false
		}
		run := d.r.sleb("run length")
		switch {
		case d.r.err != nil:
			return 0, "", false
		case run > 0:
			d.left, d.literal, d.null = uint64(run), false, false
			d.u, d.s = d.value()
		case run < 0:
			if run == math.MinInt64 {
				d.r.fail(ErrMalformed, "literal run length")
				return 0, "", false
			}
			d.left, d.literal, d.null = uint64(-run), true, false
		default:
			d.left, d.literal, d.null = d.r.uleb("null run"), false, true
		}
	}
	d.left--
	switch {
	case d.null:
		return 0, "", false
	case d.literal:
		u, s = d.value()
	default:
		u, s = d.u, d.s
	}
	if d.signed {
		d.abs += int64(u) // deltas; wrapping is fine for telling keys apart
		u = uint64(d.abs)
	}
	return u, s, d.r.err == nil
}

func (d *rleDecoder) value() (uint64, string) {
	switch {
	case d.str:
		return 0, string(d.r.take(d.r.uleb("string length"), "string"))
	case d.signed:
		return uint64(d.r.sleb("delta")), ""
	default:
		return d.r.uleb("value"), ""
	}
}

// boolDecoder reads a boolean column: alternating run lengths, starting
// with false. An exhausted column reads as false.
type boolDecoder struct {
	r    reader
	left uint64
	val  bool
	read bool // a run has been read
}

func (d *boolDecoder) next() bool {
	for d.left == 0 {
		if d.r.err != nil || d.r.remaining() == 0 {
			return false
		}
		d.left = d.r.uleb("boolean run")
		if d.read {
			d.val = !d.val
		}
		d.read = true
	}
	d.left--
	return d.val
}
