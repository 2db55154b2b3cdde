package crdt

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// ValueKind is the type of an operation's scalar value: the low four bits
// of its value metadata in a change.
type ValueKind uint8

// Value kinds. Codes 10 to 15 are reserved by the format for future types;
// automerge keeps such values as opaque bytes and so does [DecodeOps]
// (ValueUnknown, with the code in [Value.Code]).
const (
	ValueNull      ValueKind = 0
	ValueFalse     ValueKind = 1 // Bool is false
	ValueTrue      ValueKind = 2 // Bool is true
	ValueUint      ValueKind = 3
	ValueInt       ValueKind = 4
	ValueF64       ValueKind = 5
	ValueStr       ValueKind = 6
	ValueBytes     ValueKind = 7
	ValueCounter   ValueKind = 8 // in Int
	ValueTimestamp ValueKind = 9 // in Int, unix ms
	ValueUnknown   ValueKind = 10
)

// String names the kind as JavaScript's decodeChange names datatypes.
func (k ValueKind) String() string {
	switch k {
	case ValueNull:
		return "null"
	case ValueFalse, ValueTrue:
		return "bool"
	case ValueUint:
		return "uint"
	case ValueInt:
		return "int"
	case ValueF64:
		return "float64"
	case ValueStr:
		return "str"
	case ValueBytes:
		return "bytes"
	case ValueCounter:
		return "counter"
	case ValueTimestamp:
		return "timestamp"
	case ValueUnknown:
		return "unknown"
	default:
		return fmt.Sprintf("kind %d", uint8(k))
	}
}

// Value is an operation's scalar value. Only the field for Kind is set.
type Value struct {
	Kind  ValueKind
	Bool  bool    // ValueFalse, ValueTrue
	Int   int64   // ValueInt, ValueCounter, ValueTimestamp
	Uint  uint64  // ValueUint
	F64   float64 // ValueF64
	Str   string  // ValueStr
	Bytes []byte  // ValueBytes, ValueUnknown; never aliases the chunk
	Code  uint8   // ValueUnknown: the type code, 10 to 15
}

// AsString returns a string value.
func (v Value) AsString() (string, bool) {
	return v.Str, v.Kind == ValueStr
}

// AsInt returns an int, uint, counter or timestamp value as an int64;
// uints above math.MaxInt64 are not ints.
func (v Value) AsInt() (int64, bool) {
	switch v.Kind {
	case ValueInt, ValueCounter, ValueTimestamp:
		return v.Int, true
	case ValueUint:
		return int64(v.Uint), v.Uint <= math.MaxInt64
	}
	return 0, false
}

// AsFloat returns any number as a float64.
func (v Value) AsFloat() (float64, bool) {
	switch v.Kind {
	case ValueF64:
		return v.F64, true
	case ValueInt, ValueCounter, ValueTimestamp:
		return float64(v.Int), true
	case ValueUint:
		return float64(v.Uint), true
	}
	return 0, false
}

// String formats the value for logs and test failures.
func (v Value) String() string {
	switch v.Kind {
	case ValueNull:
		return "null"
	case ValueFalse, ValueTrue:
		return strconv.FormatBool(v.Bool)
	case ValueUint:
		return strconv.FormatUint(v.Uint, 10) + "u"
	case ValueInt:
		return strconv.FormatInt(v.Int, 10)
	case ValueF64:
		return strconv.FormatFloat(v.F64, 'g', -1, 64) + "f"
	case ValueStr:
		return strconv.Quote(v.Str)
	case ValueCounter:
		return "counter(" + strconv.FormatInt(v.Int, 10) + ")"
	case ValueTimestamp:
		return "timestamp(" + strconv.FormatInt(v.Int, 10) + ")"
	case ValueBytes:
		return fmt.Sprintf("bytes(%x)", v.Bytes)
	default:
		return fmt.Sprintf("unknown%d(%x)", v.Code, v.Bytes)
	}
}

// decodeValue reads the value whose metadata is meta (length << 4 | type)
// from the raw value column. The length must be exactly what the type
// needs: automerge and this decoder must agree on where every value
// starts, or a crafted change could show the server one value and
// automerge another.
func decodeValue(meta uint64, raw *reader) (Value, error) {
	typ, n := ValueKind(meta&0xf), meta>>4
	if n > uint64(raw.remaining()) {
		return Value{}, fmt.Errorf("value of %d bytes, %d left: %w", n, raw.remaining(), ErrTruncated)
	}
	b := raw.take(n, "value")
	v := Value{Kind: typ}
	switch typ {
	case ValueNull, ValueFalse, ValueTrue:
		if n != 0 {
			return Value{}, fmt.Errorf("%v value with %d bytes: %w", typ, n, ErrMalformed)
		}
		v.Bool = typ == ValueTrue
	case ValueUint:
		r := reader{b: b}
		v.Uint = r.uleb("uint value")
		if err := wholeLEB(&r); err != nil {
			return Value{}, err
		}
	case ValueInt, ValueCounter, ValueTimestamp:
		r := reader{b: b}
		v.Int = r.sleb("int value")
		if err := wholeLEB(&r); err != nil {
			return Value{}, err
		}
	case ValueF64:
		if n != 8 {
			return Value{}, fmt.Errorf("float64 value with %d bytes: %w", n, ErrMalformed)
		}
		v.F64 = math.Float64frombits(binary.LittleEndian.Uint64(b))
	case ValueStr:
		if !utf8.Valid(b) {
			return Value{}, fmt.Errorf("string value is not UTF-8: %w", ErrMalformed)
		}
		v.Str = string(b)
	default: // bytes and the reserved codes
		v.Bytes = append([]byte(nil), b...)
		if typ != ValueBytes {
			v.Kind, v.Code = ValueUnknown, uint8(typ)
		}
	}
	return v, nil
}

// wholeLEB checks that a LEB128 value read from a value's bytes was valid
// and used all of them.
func wholeLEB(r *reader) error {
	if r.err != nil {
		return r.err
	}
	if r.remaining() != 0 {
		return fmt.Errorf("number value followed by %d bytes: %w", r.remaining(), ErrMalformed)
	}
	return nil
}
