package crdt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// commitOps commits d's pending edits and decodes the one change.
func commitOps(t testing.TB, d *Doc) (Chunk, []Op) {
	t.Helper()
	a := mustCommit(t, d, "")
	chunks, err := ParseChunks(a.Chunks, 0)
	if err != nil || len(chunks) != 1 {
		t.Fatalf("ParseChunks: %d chunks, %v", len(chunks), err)
	}
	ops, err := DecodeOps(chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(ops)) != chunks[0].Ops {
		t.Fatalf("decoded %d ops, header says %d", len(ops), chunks[0].Ops)
	}
	for i, op := range ops {
		if op.ID != (OpID{chunks[0].StartOp + uint64(i), chunks[0].ActorHex}) {
			t.Fatalf("op %d has id %s", i, op.ID)
		}
	}
	return chunks[0], ops
}

// sectionObj returns the id of a section map, as the index sees it.
func sectionObj(t testing.TB, d *Doc, key string) ObjID {
	t.Helper()
	ix, err := BuildIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	for id, info := range ix.objs {
		if info.depth == 1 && info.Key == key {
			return id
		}
	}
	t.Fatalf("no section %q", key)
	return ObjID{}
}

func f64(f float64) Value { return Value{Kind: ValueF64, F64: f} }
func str(s string) Value  { return Value{Kind: ValueStr, Str: s} }
func i64(i int64) Value   { return Value{Kind: ValueInt, Int: i} }

// TestDecodeOpsGo decodes the changes of every Go edit.
func TestDecodeOpsGo(t *testing.T) {
	server := newServer(t)
	board, hands, presence := sectionObj(t, server, keyBoard), sectionObj(t, server, keyHands), sectionObj(t, server, keyPresence)
	client := replica(t, server)
	me := client.Actor()

	pts := benchStroke("s1").Points // 16 points
	if err := client.AddStroke(benchStroke("s1")); err != nil {
		t.Fatal(err)
	}
	c, ops := commitOps(t, client)
	stroke := ObjID(ops[0].ID)
	want := []Op{
		{ID: ops[0].ID, Obj: board, Key: "s1", Action: ActionMakeMap},
		{Obj: stroke, Key: keyID, Action: ActionSet, Value: str("s1")},
		{Obj: stroke, Key: keyAuthor, Action: ActionSet, Value: str("u1")},
		{Obj: stroke, Key: keyTool, Action: ActionSet, Value: str(ToolPen)},
		{Obj: stroke, Key: keyColor, Action: ActionSet, Value: str("#336699")},
		{Obj: stroke, Key: keyWidth, Action: ActionSet, Value: f64(2)},
		{Obj: stroke, Key: keyCreated, Action: ActionSet, Value: i64(1700000000000)},
		{Obj: stroke, Key: keyPoints, Action: ActionMakeList},
	}
	list := ObjID{c.StartOp + 7, me}
	prev := OpID{}
	for i, p := range pts {
		want = append(want, Op{Obj: list, ElemKey: true, Elem: prev, Insert: true, Action: ActionSet, Value: f64(p)})
		prev = OpID{c.StartOp + 8 + uint64(i), me}
	}
	checkOps(t, "AddStroke", ops, want)

	if err := client.AppendPoints("s1", 7, 8.5); err != nil {
		t.Fatal(err)
	}
	c, ops = commitOps(t, client)
	checkOps(t, "AppendPoints", ops, []Op{
		{Obj: list, ElemKey: true, Elem: prev, Insert: true, Action: ActionSet, Value: f64(7)},
		{Obj: list, ElemKey: true, Elem: OpID{c.StartOp, me}, Insert: true, Action: ActionSet, Value: f64(8.5)},
	})

	if err := client.RaiseHand("u2", 42); err != nil {
		t.Fatal(err)
	}
	_, ops = commitOps(t, client)
	raised := ops[0].ID
	checkOps(t, "RaiseHand", ops, []Op{{Obj: hands, Key: "u2", Action: ActionSet, Value: i64(42)}})
	if err := client.RaiseHand("u2", 43); err != nil {
		t.Fatal(err)
	}
	_, ops = commitOps(t, client)
	checkOps(t, "RaiseHand again", ops, []Op{{Obj: hands, Key: "u2", Action: ActionSet, Value: i64(43), Pred: []OpID{raised}}})

	if err := client.SetPresence("u2", Presence{Name: "Ann", Role: RoleStudent, JoinedAt: 5, Status: StatusOnline}); err != nil {
		t.Fatal(err)
	}
	_, ops = commitOps(t, client)
	entry := ObjID(ops[0].ID)
	checkOps(t, "SetPresence", ops, []Op{
		{Obj: presence, Key: "u2", Action: ActionMakeMap},
		{Obj: entry, Key: keyName, Action: ActionSet, Value: str("Ann")},
		{Obj: entry, Key: keyRole, Action: ActionSet, Value: str(RoleStudent)},
		{Obj: entry, Key: keyJoinedAt, Action: ActionSet, Value: i64(5)},
		{Obj: entry, Key: keyStatus, Action: ActionSet, Value: str(StatusOnline)},
	})

	if err := client.DeleteStroke("s1"); err != nil {
		t.Fatal(err)
	}
	_, ops = commitOps(t, client)
	checkOps(t, "DeleteStroke", ops, []Op{{Obj: board, Key: "s1", Action: ActionDelete, Pred: []OpID{OpID(stroke)}}})
}

// checkOps compares ops with want, ignoring want's zero IDs.
func checkOps(t *testing.T, what string, ops, want []Op) {
	t.Helper()
	if len(ops) != len(want) {
		t.Fatalf("%s: %d ops, want %d:\n%v", what, len(ops), len(want), ops)
	}
	for i := range ops {
		w := want[i]
		w.ID = ops[i].ID
		if ops[i].String() != w.String() || !slices.Equal(ops[i].Pred, w.Pred) {
			t.Errorf("%s: op %d\ngot  %v\nwant %v", what, i, ops[i], w)
		}
	}
}

// TestDecodeOpsChunkForms decodes the same change from a compressed
// chunk and from a Chunk built by hand, and refuses documents.
func TestDecodeOpsChunkForms(t *testing.T) {
	d := newServer(t)
	if err := d.AddStroke(benchStroke("s")); err != nil {
		t.Fatal(err)
	}
	c, want := commitOps(t, d)
	z, err := ParseChunks(compress(c.Raw), 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]Chunk{
		"compressed":         z[0],
		"raw only":           {Type: ChunkChange, Raw: c.Raw},
		"raw only, no type":  {Raw: compress(c.Raw)},
		"raw only, compress": {Type: ChunkCompressed, Raw: compress(c.Raw)},
	} {
		ops, err := DecodeOps(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkOps(t, name, ops, want)
	}
	bad := bytes.Clone(c.Raw)
	bad[len(bad)-1] ^= 1
	if _, err := DecodeOps(Chunk{Type: ChunkChange, Raw: bad}); !errors.Is(err, ErrBadChecksum) {
		t.Fatalf("corrupt raw chunk: %v", err)
	}
	docs, err := ParseChunks(d.Save(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeOps(docs[0]); !errors.Is(err, ErrChunkType) {
		t.Fatalf("document: %v", err)
	}
	if _, err := DecodeOps(Chunk{Raw: d.Save()}); !errors.Is(err, ErrChunkType) {
		t.Fatalf("document raw: %v", err)
	}
}

// Column encodings for hand-made changes.
func rleRep(n int, v uint64) []byte { return binary.AppendUvarint(sleb(int64(n)), v) }
func rleNull(n int) []byte          { return binary.AppendUvarint([]byte{0}, uint64(n)) }
func rleStr(n int, s string) []byte {
	return append(binary.AppendUvarint(sleb(int64(n)), uint64(len(s))), s...)
}
func deltaRep(n int, d int64) []byte { return append(sleb(int64(n)), sleb(d)...) }

const (
	colObjActor  = 0<<4 | 1
	colObjCtr    = 0<<4 | 2
	colKeyActor  = 1<<4 | 1
	colKeyCtr    = 1<<4 | 3
	colKeyStr    = 1<<4 | 5
	colInsert    = 3<<4 | 4
	colValMeta   = 5<<4 | 6
	colValRaw    = 5<<4 | 7
	colPredGroup = 7 << 4 // type 0, group
	colPredActor = 7<<4 | 1
	colPredCtr   = 7<<4 | 3
	colMarkName  = 10<<4 | 5
)

// handChange builds the body of a change by actor 0xaa (other actor 0xbb)
// from columns; by default one op: set root["k"] = null.
func handChange(edit func(cols map[uint64][]byte)) []byte {
	cols := map[uint64][]byte{
		colKeyStr:    rleStr(1, "k"),
		colInsert:    {1},
		actionColumn: rleRep(1, uint64(ActionSet)),
		colValMeta:   rleRep(1, 0),
		colPredGroup: rleRep(1, 0),
	}
	if edit != nil {
		edit(cols)
	}
	specs := make([]uint64, 0, len(cols))
	for spec := range cols {
		specs = append(specs, spec)
	}
	slices.Sort(specs)
	b := []byte{0, 1, 0xaa, 1, 7, 0, 0, 1, 1, 0xbb} // no deps, actor aa, seq 1, start op 7, time 0, no message, other actor bb
	b = binary.AppendUvarint(b, uint64(len(specs)))
	var data []byte
	for _, spec := range specs {
		b = binary.AppendUvarint(binary.AppendUvarint(b, spec), uint64(len(cols[spec])))
		data = append(data, cols[spec]...)
	}
	return append(b, data...)
}

func TestDecodeOpsHandMade(t *testing.T) {
	t.Run("valid", func(t *testing.T) {
		cases := []struct {
			name string
			edit func(map[uint64][]byte)
			want string
		}{
			{"root set", nil, `7@aa set _root["k"] null`},
			{"other actor's object", func(c map[uint64][]byte) {
				c[colObjActor], c[colObjCtr] = rleRep(1, 1), rleRep(1, 3)
			}, `7@aa set 3@bb["k"] null`},
			{"insert at head", func(c map[uint64][]byte) {
				c[colObjActor], c[colObjCtr] = rleRep(1, 0), rleRep(1, 2)
				delete(c, colKeyStr)
				c[colKeyCtr], c[colInsert] = deltaRep(1, 0), []byte{0, 1}
			}, `7@aa set 2@aa[_head] insert null`},
			{"reserved value type", func(c map[uint64][]byte) {
				c[colValMeta], c[colValRaw] = rleRep(1, 2<<4|12), []byte{1, 2}
			}, `7@aa set _root["k"] unknown12(0102)`},
			{"uint", func(c map[uint64][]byte) {
				c[colValMeta], c[colValRaw] = rleRep(1, 2<<4|3), []byte{0x80, 1}
			}, `7@aa set _root["k"] 128u`},
			{"omitted insert column", func(c map[uint64][]byte) { delete(c, colInsert) }, `7@aa set _root["k"] null`},
			{"predecessor", func(c map[uint64][]byte) {
				c[colPredGroup], c[colPredActor], c[colPredCtr] = rleRep(1, 1), rleRep(1, 1), deltaRep(1, 4)
			}, `7@aa set _root["k"] null pred=[4@bb]`},
			{"mark begin", func(c map[uint64][]byte) {
				c[actionColumn], c[colMarkName], c[colValMeta], c[colValRaw] = rleRep(1, 7), rleStr(1, "bold"), rleRep(1, 1<<4|6), []byte("x")
			}, `7@aa mark _root["k"] "x" name="bold"`},
		}
		for _, tc := range cases {
			ops, err := DecodeOps(Chunk{Type: ChunkChange, Raw: frame(ChunkChange, handChange(tc.edit))})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(ops) != 1 || ops[0].String() != tc.want {
				t.Errorf("%s: got %v, want %s", tc.name, ops, tc.want)
			}
		}
	})

	cases := []struct {
		name string
		edit func(map[uint64][]byte)
		want error
	}{
		{"unknown column", func(c map[uint64][]byte) { c[11<<4|1] = rleRep(1, 0) }, ErrMalformed},
		{"compressed column", func(c map[uint64][]byte) { c[colValMeta|8] = c[colValMeta]; delete(c, colValMeta) }, ErrMalformed},
		{"unknown action", func(c map[uint64][]byte) { c[actionColumn] = rleRep(1, 8) }, ErrMalformed},
		{"null action", func(c map[uint64][]byte) { c[actionColumn] = rleNull(1) }, ErrMalformed},
		{"too many ops", func(c map[uint64][]byte) { c[actionColumn] = rleRep(MaxChangeOps+1, 1) }, ErrTooLarge},
		{"null with bytes", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 1<<4), []byte{0} }, ErrMalformed},
		{"true with bytes", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 1<<4|2), []byte{1} }, ErrMalformed},
		{"uint with a spare byte", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 2<<4|3), []byte{5, 0} }, ErrMalformed},
		{"overlong int", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 2<<4|4), []byte{0x81, 0} }, ErrMalformed},
		{"float of 4 bytes", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 4<<4|5), []byte{0, 0, 0, 0} }, ErrMalformed},
		{"string not UTF-8", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 1<<4|6), []byte{0xff} }, ErrMalformed},
		{"value past the raw column", func(c map[uint64][]byte) { c[colValMeta], c[colValRaw] = rleRep(1, 5<<4|6), []byte("ab") }, ErrTruncated},
		{"increment by a string", func(c map[uint64][]byte) {
			c[actionColumn], c[colValMeta], c[colValRaw] = rleRep(1, 5), rleRep(1, 1<<4|6), []byte("x")
		}, ErrMalformed},
		{"key not UTF-8", func(c map[uint64][]byte) { c[colKeyStr] = rleStr(1, "\xff") }, ErrMalformed},
		{"no key", func(c map[uint64][]byte) { delete(c, colKeyStr) }, ErrMalformed},
		{"key and element", func(c map[uint64][]byte) { c[colKeyActor], c[colKeyCtr] = rleRep(1, 0), deltaRep(1, 3) }, ErrMalformed},
		{"negative element counter", func(c map[uint64][]byte) {
			delete(c, colKeyStr)
			c[colKeyActor], c[colKeyCtr] = rleRep(1, 0), deltaRep(1, -3)
		}, ErrMalformed},
		{"element counter 0", func(c map[uint64][]byte) {
			delete(c, colKeyStr)
			c[colKeyActor], c[colKeyCtr] = rleRep(1, 0), deltaRep(1, 0)
		}, ErrMalformed},
		{"object half null", func(c map[uint64][]byte) { c[colObjActor] = rleRep(1, 0) }, ErrMalformed},
		{"object counter 0", func(c map[uint64][]byte) { c[colObjActor], c[colObjCtr] = rleRep(1, 0), rleRep(1, 0) }, ErrMalformed},
		{"actor index out of range", func(c map[uint64][]byte) { c[colObjActor], c[colObjCtr] = rleRep(1, 2), rleRep(1, 3) }, ErrMalformed},
		{"null predecessor", func(c map[uint64][]byte) { c[colPredGroup] = rleRep(1, 1) }, ErrMalformed},
		{"a million predecessors", func(c map[uint64][]byte) {
			c[colPredGroup], c[colPredActor], c[colPredCtr] = rleRep(1, 1<<20), rleRep(1<<20, 0), deltaRep(1<<20, 1)
		}, ErrTooLarge},
		{"mark with an empty name", func(c map[uint64][]byte) { c[actionColumn], c[colMarkName] = rleRep(1, 7), rleStr(1, "") }, ErrMalformed},
		{"mark name not UTF-8", func(c map[uint64][]byte) { c[colMarkName] = rleStr(1, "\xfe") }, ErrMalformed},
	}
	for _, tc := range cases {
		body := handChange(tc.edit)
		// From a raw chunk (checked by parseChunk first) and from a body
		// as ParseChunks keeps it (checked by DecodeOps alone).
		for _, c := range []Chunk{{Type: ChunkChange, Raw: frame(ChunkChange, body)}, {Type: ChunkChange, body: body}} {
			ops, err := DecodeOps(c)
			if !errors.Is(err, tc.want) || ops != nil {
				t.Errorf("%s: got %d ops, %v; want %v", tc.name, len(ops), err, tc.want)
			}
		}
	}
}

// TestDecodeOpsLimits: the largest change ParseChunks accepts decodes, with
// bounded memory.
func TestDecodeOpsLimits(t *testing.T) {
	body := handChange(func(c map[uint64][]byte) {
		c[colKeyStr] = rleStr(MaxChangeOps, "k")
		c[colInsert] = binary.AppendUvarint(nil, MaxChangeOps)
		c[actionColumn] = rleRep(MaxChangeOps, 1)
		c[colValMeta] = rleRep(MaxChangeOps, 0)
		c[colPredGroup] = rleRep(MaxChangeOps, maxPredsPerOp)
		c[colPredActor] = rleRep(MaxChangeOps*maxPredsPerOp, 1)
		c[colPredCtr] = deltaRep(MaxChangeOps*maxPredsPerOp, 1)
	})
	c := Chunk{Type: ChunkChange, body: body}
	allocs := testing.AllocsPerRun(3, func() {
		ops, err := DecodeOps(c)
		if err != nil || len(ops) != MaxChangeOps || len(ops[MaxChangeOps-1].Pred) != maxPredsPerOp {
			t.Fatalf("got %d ops, %v", len(ops), err)
		}
		last := ops[MaxChangeOps-1].Pred[maxPredsPerOp-1]
		if last.Ctr != MaxChangeOps*maxPredsPerOp || last.Actor != "bb" {
			t.Fatalf("last pred %v", last)
		}
	})
	if allocs > 20 {
		t.Fatalf("%v allocations for one change", allocs)
	}
}

func TestValueAccessors(t *testing.T) {
	for _, tc := range []struct {
		v     Value
		i     int64
		iok   bool
		f     float64
		fok   bool
		s     string
		sok   bool
		print string
	}{
		{Value{Kind: ValueInt, Int: -3}, -3, true, -3, true, "", false, "-3"},
		{Value{Kind: ValueUint, Uint: math.MaxUint64}, -1, false, math.MaxUint64, true, "", false, "18446744073709551615u"},
		{Value{Kind: ValueCounter, Int: 2}, 2, true, 2, true, "", false, "counter(2)"},
		{Value{Kind: ValueTimestamp, Int: 9}, 9, true, 9, true, "", false, "timestamp(9)"},
		{f64(2.5), 0, false, 2.5, true, "", false, "2.5f"},
		{str("x"), 0, false, 0, false, "x", true, `"x"`},
		{Value{Kind: ValueTrue, Bool: true}, 0, false, 0, false, "", false, "true"},
		{Value{}, 0, false, 0, false, "", false, "null"},
		{Value{Kind: ValueBytes, Bytes: []byte{1}}, 0, false, 0, false, "", false, "bytes(01)"},
	} {
		i, iok := tc.v.AsInt()
		f, fok := tc.v.AsFloat()
		s, sok := tc.v.AsString()
		if (iok && i != tc.i) || iok != tc.iok || f != tc.f || fok != tc.fok || s != tc.s || sok != tc.sok || tc.v.String() != tc.print {
			t.Errorf("%v: AsInt %d %v, AsFloat %v %v, AsString %q %v", tc.v, i, iok, f, fok, s, sok)
		}
	}
	if s := (Op{ID: OpID{3, "aa"}, Obj: ObjID{1, "bb"}, Key: "k", Action: ActionDelete}).String(); s != `3@aa del 1@bb["k"]` {
		t.Errorf("Op.String = %s", s)
	}
	for a := ActionMakeMap; a <= ActionMark; a++ {
		if strings.HasPrefix(a.String(), "action") {
			t.Errorf("action %d has no name", a)
		}
	}
}
