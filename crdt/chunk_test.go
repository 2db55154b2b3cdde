package crdt

import (
	"bytes"
	"errors"
	"testing"

	"github.com/automerge/automerge-go"
)

// realChanges returns a document with a few changes and those changes as
// automerge-go sees them.
func realChanges(t testing.TB) (*Doc, []*automerge.Change) {
	t.Helper()
	d := newServer(t)
	if err := d.AddStroke(stroke("s1", "u1", 1, 2, 3, 4)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d, "stroke ✏️")
	if err := d.RaiseHand("u1", 42); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d, "")
	chs, err := d.am.Changes()
	if err != nil {
		t.Fatal(err)
	}
	return d, chs
}

func TestParseChunksMatchesAutomerge(t *testing.T) {
	_, chs := realChanges(t)
	var all []byte
	for _, ch := range chs {
		all = append(all, ch.Save()...)
	}
	chunks, err := ParseChunks(all, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != len(chs) {
		t.Fatalf("got %d chunks, want %d", len(chunks), len(chs))
	}
	for i, c := range chunks {
		ch := chs[i]
		if c.Type != ChunkChange {
			t.Errorf("chunk %d: type %v", i, c.Type)
		}
		if c.Hash != Hash(ch.Hash()) {
			t.Errorf("chunk %d: hash %s, automerge says %s", i, c.Hash, ch.Hash())
		}
		if !hashesEqual(c.Deps, fromChangeHashes(ch.Dependencies())) || len(c.Deps) != len(ch.Dependencies()) {
			t.Errorf("chunk %d: deps %v, automerge says %v", i, c.Deps, ch.Dependencies())
		}
		if c.ActorHex != ch.ActorID() || c.Seq != ch.ActorSeq() {
			t.Errorf("chunk %d: actor %s/%d, automerge says %s/%d", i, c.ActorHex, c.Seq, ch.ActorID(), ch.ActorSeq())
		}
		if !bytes.Equal(c.Raw, ch.Save()) {
			t.Errorf("chunk %d: raw bytes differ", i)
		}
	}
}

func TestParseChunksDocument(t *testing.T) {
	d, _ := realChanges(t)
	saved := d.Save()
	chunks, err := ParseChunks(saved, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 1 || chunks[0].Type != ChunkDocument || len(chunks[0].Raw) != len(saved) || chunks[0].Deps != nil {
		t.Fatalf("chunks = %+v", chunks)
	}
}

func TestParseChunksCompressed(t *testing.T) {
	_, chs := realChanges(t)
	raw := chs[1].Save()
	z := compress(raw)
	chunks, err := ParseChunks(z, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := chunks[0]
	if c.Type != ChunkCompressed || c.Hash != Hash(chs[1].Hash()) || !bytes.Equal(c.Raw, z) {
		t.Fatalf("compressed chunk = %v %s, want hash %s", c.Type, c.Hash, chs[1].Hash())
	}
	if len(c.Deps) != 1 || c.Deps[0] != Hash(chs[0].Hash()) || c.Seq != 2 {
		t.Fatalf("compressed chunk deps %v seq %d", c.Deps, c.Seq)
	}
	// automerge agrees: it loads the compressed chunk as the same change.
	loaded, err := automerge.LoadChanges(append(chs[0].Save(), z...))
	if err != nil {
		t.Fatal(err)
	}
	if loaded[1].Hash() != chs[1].Hash() {
		t.Fatalf("automerge hash of compressed chunk %s", loaded[1].Hash())
	}

	// Inflation is bounded by maxTotal.
	if _, err := ParseChunks(z, len(raw)-1); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("small maxTotal: %v", err)
	}
	if _, err := ParseChunks(z, len(raw)+8); err != nil {
		t.Fatalf("maxTotal with room: %v", err)
	}
	// A deflate bomb stops at the limit.
	bomb := compressBody(make([]byte, 1<<20), raw[4:8])
	if _, err := ParseChunks(bomb, 64<<10); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("bomb: %v", err)
	}
	// Trailing bytes after the deflate stream.
	junk := compressBodyTrailing(splitChunk(raw), raw[4:8], []byte{1, 2, 3})
	if _, err := ParseChunks(junk, 0); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing deflate bytes: %v", err)
	}
	// The checksum is the one of the uncompressed chunk.
	bad := bytes.Clone(z)
	bad[4] ^= 1
	if _, err := ParseChunks(bad, 0); !errors.Is(err, ErrBadChecksum) {
		t.Fatalf("bad checksum: %v", err)
	}
}

func TestParseChunksErrors(t *testing.T) {
	_, chs := realChanges(t)
	good := chs[1].Save()
	body := splitChunk(good)
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		return b
	}
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"garbage", []byte("hello, world"), ErrBadMagic},
		{"magic only", magic[:], ErrTruncated},
		{"short magic", magic[:2], ErrTruncated},
		{"truncated body", good[:len(good)-1], ErrTruncated},
		{"truncated header", good[:9], ErrTruncated},
		{"bad checksum", flip(5), ErrBadChecksum},
		{"body bit flip", flip(len(good) - 1), ErrBadChecksum},
		{"unknown type", retype(good, 7), ErrChunkType},
		{"bundle type", retype(good, 3), ErrChunkType},
		{"trailing garbage", append(bytes.Clone(good), "xyz"...), ErrBadMagic},
		{"trailing magic", append(bytes.Clone(good), magic[:3]...), ErrTruncated},
		{"second chunk bad", append(bytes.Clone(good), flip(6)...), ErrBadChecksum},
		{"overlong length", overlongLength(good), ErrMalformed},
		{"huge length", append(append(bytes.Clone(good[:9]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), body...), ErrTruncated},
		{"too many deps", frame(ChunkChange, []byte{0x7f, 1, 2, 3}), ErrTruncated},
		{"empty body", frame(ChunkChange, nil), ErrTruncated},
		{"zero start op", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 0, 0, 0, 0, 0}), ErrMalformed},
		{"bad utf8 message", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 1, 0xff, 0, 0}), ErrMalformed},
		{"compressed column", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 1, 0x08 | 1, 0}), ErrMalformed},
		{"unsorted columns", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 2, 2, 1, 1, 1, 0, 0}), ErrMalformed},
		{"repeated column", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 2, 2, 1, 2, 1, 0, 0}), ErrMalformed},
		{"unknown column", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 1, 0x30, 1, 0}), ErrMalformed},
		{"empty column", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 1, 1, 0}), ErrMalformed},
		{"unsorted deps", synthetic([]Hash{{2}, {1}}, []byte{1}, 1, 1, nil), ErrMalformed},
		{"repeated dep", synthetic([]Hash{{1}, {1}}, []byte{1}, 1, 1, nil), ErrMalformed},
		{"author as other actor", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 1, 1, 0xaa, 0}), ErrMalformed},
		{"unsorted other actors", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 2, 1, 0xbb, 1, 0xb0, 0}), ErrMalformed},
		{"zero seq", synthetic(nil, []byte{1}, 0, 1, nil), ErrMalformed},
		{"column overruns", frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 1, 1, 5, 0}), ErrTruncated},
		{"empty actor", frame(ChunkChange, []byte{0, 0, 1, 1, 0, 0, 0, 0}), ErrMalformed},
		{"too large", good, ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			max := 0
			if tc.want == ErrTooLarge {
				max = len(good) - 1
			}
			chunks, err := ParseChunks(tc.in, max)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if chunks != nil {
				t.Fatalf("chunks returned with error")
			}
		})
	}
	// A minimal hand-built change passes.
	if _, err := ParseChunks(frame(ChunkChange, []byte{0, 1, 0xaa, 1, 1, 0, 0, 0, 0}), 0); err != nil {
		t.Fatalf("minimal change: %v", err)
	}
	if chunks, err := ParseChunks(nil, 0); err != nil || len(chunks) != 0 {
		t.Fatalf("empty input: %v %v", chunks, err)
	}
}

func TestLEB128(t *testing.T) {
	ucases := []struct {
		in   []byte
		want uint64
		err  error
	}{
		{[]byte{0}, 0, nil},
		{[]byte{0x7f}, 127, nil},
		{[]byte{0x80, 0x01}, 128, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 1<<64 - 1, nil},
		{[]byte{0x81, 0x00}, 0, ErrMalformed},
		{[]byte{0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x02}, 0, ErrMalformed},
		{[]byte{0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01}, 0, ErrMalformed},
		{[]byte{0xff}, 0, ErrTruncated},
		{nil, 0, ErrTruncated},
	}
	for _, tc := range ucases {
		r := reader{b: tc.in}
		got := r.uleb("n")
		if !errors.Is(r.err, tc.err) || (tc.err == nil && got != tc.want) {
			t.Errorf("uleb(% x) = %d, %v; want %d, %v", tc.in, got, r.err, tc.want, tc.err)
		}
	}
	scases := []struct {
		in   []byte
		want int64
		err  error
	}{
		{[]byte{0}, 0, nil},
		{[]byte{0x7f}, -1, nil},
		{[]byte{0x3f}, 63, nil},
		{[]byte{0x40}, -64, nil},
		{[]byte{0x80, 0x01}, 128, nil},
		{[]byte{0xff, 0x3f}, 8191, nil},
		{[]byte{0x80, 0x40}, -8192, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, 1<<63 - 1, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, -1 << 63, nil},
		{[]byte{0xbf, 0x00}, 0, ErrMalformed},
		{[]byte{0x81, 0xff, 0x7f}, 0, ErrMalformed},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0, ErrMalformed},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e}, 0, ErrMalformed},
		{[]byte{0x90}, 0, ErrTruncated},
	}
	for _, tc := range scases {
		r := reader{b: tc.in}
		got := r.sleb("n")
		if !errors.Is(r.err, tc.err) || (tc.err == nil && got != tc.want) {
			t.Errorf("sleb(% x) = %d, %v; want %d, %v", tc.in, got, r.err, tc.want, tc.err)
		}
	}
}

// retype changes the type byte and fixes the checksum, so only the type is
// wrong.
func retype(raw []byte, typ byte) []byte {
	b := bytes.Clone(raw)
	b[8] = typ
	return b
}

// overlongLength re-encodes the chunk length with a redundant LEB128 byte.
func overlongLength(raw []byte) []byte {
	body := splitChunk(raw)
	out := appendUvarint(bytes.Clone(raw[:9]), uint64(len(body)))
	out[len(out)-1] |= 0x80
	out = append(out, 0)
	return append(out, body...)
}

func compressBody(body, checksum []byte) []byte {
	return compressBodyTrailing(body, checksum, nil)
}

func compressBodyTrailing(body, checksum, trailing []byte) []byte {
	var buf bytes.Buffer
	w, _ := flateWriter(&buf)
	w.Write(body)
	w.Close()
	buf.Write(trailing)
	out := append([]byte{}, magic[:]...)
	out = append(out, checksum...)
	out = append(out, byte(ChunkCompressed))
	out = appendUvarint(out, uint64(buf.Len()))
	return append(out, buf.Bytes()...)
}
