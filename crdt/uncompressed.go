package crdt

import "fmt"

// deflateColumn is the bit of a document column's spec that marks its
// data as raw DEFLATE.
const deflateColumn = 1 << 3

// Uncompressed returns saved bytes (a document as [Doc.Save] writes it,
// change chunks, or both) with everything automerge compressed inflated:
// the columns of a document chunk that automerge deflated (those over a
// few hundred bytes) and compressed change chunks. The result does not
// load; it is for searching: a string the saved bytes hold appears in it
// as plain bytes, which a search of the saved bytes themselves does not
// promise. Privacy checks use it to show that a redacted document holds
// no trace of a user ([Redact]).
func Uncompressed(saved []byte) ([]byte, error) {
	chunks, err := ParseChunks(saved, len(saved)+DefaultMaxTotal)
	if err != nil {
		return nil, fmt.Errorf("failed to uncompress: %w", err)
	}
	var out []byte
	for _, c := range chunks {
		switch c.Type {
		case ChunkDocument:
			body, err := inflateColumns(c.Raw)
			if err != nil {
				return nil, fmt.Errorf("failed to uncompress document: %w", err)
			}
			out = append(out, body...)
		case ChunkCompressed:
			out = append(out, c.body...)
		default:
			out = append(out, c.Raw...)
		}
	}
	return out, nil
}

// inflateColumns returns a document chunk's body with its deflated
// columns inflated: actors, heads and column metadata as they are, then
// every column's data.
func inflateColumns(raw []byte) ([]byte, error) {
	r := reader{b: raw, off: 9}
	r.take(r.uleb("chunk length"), "chunk body")
	r = reader{b: raw[:r.off], off: 9}
	r.uleb("chunk length")
	for n := r.uleb("actors"); n > 0 && r.err == nil; n-- {
		r.take(r.uleb("actor length"), "actor")
	}
	r.take(32*r.uleb("heads"), "heads")
	type column struct{ spec, size uint64 }
	var cols []column
	for range 2 { // the change columns, then the operation columns
		for n := r.uleb("columns"); n > 0 && r.err == nil; n-- {
			cols = append(cols, column{spec: r.uleb("column spec"), size: r.uleb("column length")})
		}
	}
	out := append([]byte{}, raw[:r.off]...)
	for _, c := range cols {
		data := r.take(c.size, "column data")
		if r.err != nil {
			break
		}
		if c.spec&deflateColumn != 0 {
			plain, err := inflate(data, DefaultMaxTotal)
			if err != nil {
				return nil, err
			}
			data = plain
		}
		out = append(out, data...)
	}
	if r.err != nil {
		return nil, r.err
	}
	return append(out, raw[r.off:]...), nil
}
