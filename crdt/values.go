package crdt

import (
	"math"

	"github.com/automerge/automerge-go"
)

// The readers below never call a Value accessor for the wrong kind: those
// panic. A value of an unexpected kind reads as absent.

// readString reads a scalar string or a Text object (what JavaScript
// Automerge 3 writes for a plain string).
func readString(v *automerge.Value) (string, bool) {
	switch v.Kind() {
	case automerge.KindStr:
		return v.Str(), true
	case automerge.KindText:
		s, err := v.Text().Get()
		return s, err == nil
	}
	return "", false
}

// readFloat reads any number; JavaScript writes whole numbers as integers.
func readFloat(v *automerge.Value) (float64, bool) {
	switch v.Kind() {
	case automerge.KindFloat64:
		return v.Float64(), true
	case automerge.KindInt64:
		return float64(v.Int64()), true
	case automerge.KindUint64:
		return float64(v.Uint64()), true
	}
	return 0, false
}

// readInt reads any number as an int64, truncating floats and saturating
// out-of-range values.
func readInt(v *automerge.Value) (int64, bool) {
	switch v.Kind() {
	case automerge.KindInt64:
		return v.Int64(), true
	case automerge.KindUint64:
		return int64(min(v.Uint64(), math.MaxInt64)), true
	case automerge.KindFloat64:
		f := v.Float64()
		switch {
		case math.IsNaN(f):
			return 0, false
		case f >= math.MaxInt64:
			return math.MaxInt64, true
		case f <= math.MinInt64:
			return math.MinInt64, true
		}
		return int64(f), true
	}
	return 0, false
}

// readFloats reads a list of numbers, skipping anything else. It never
// returns nil, so empty lists encode as [] in JSON.
func readFloats(v *automerge.Value) []float64 {
	out := []float64{}
	if v.Kind() != automerge.KindList {
		return out
	}
	items, err := v.List().Values()
	if err != nil {
		return out
	}
	out = make([]float64, 0, len(items))
	for _, it := range items {
		if f, ok := readFloat(it); ok && finite(f) {
			out = append(out, f)
		}
	}
	return out
}

// fields returns the entries of a map value, or nil if v is not a map.
func fields(v *automerge.Value) map[string]*automerge.Value {
	if v == nil || v.Kind() != automerge.KindMap {
		return nil
	}
	m, err := v.Map().Values()
	if err != nil {
		return nil
	}
	return m
}

func fieldString(m map[string]*automerge.Value, key string) string {
	if v, ok := m[key]; ok {
		s, _ := readString(v)
		return s
	}
	return ""
}

func fieldFloat(m map[string]*automerge.Value, key string) float64 {
	if v, ok := m[key]; ok {
		if f, ok := readFloat(v); ok && finite(f) {
			return f
		}
	}
	return 0
}

func fieldInt(m map[string]*automerge.Value, key string) int64 {
	if v, ok := m[key]; ok {
		i, _ := readInt(v)
		return i
	}
	return 0
}
