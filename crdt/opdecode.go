package crdt

import (
	"encoding/hex"
	"fmt"
	"math"
	"unicode/utf8"
)

// maxPredsPerOp bounds a change's predecessors: this many times its
// operations or MaxChangeOps, whichever is more. An honest operation
// overwrites the one value of a key or element, or a few concurrent ones;
// the pred columns are run-length encoded, so a few bytes could otherwise
// claim billions.
const maxPredsPerOp = 4

// maxHistoryOps bounds the operations of one change read from a document's
// own history ([BuildIndex]), which ParseChunks did not limit: automerge
// already holds every one of them in memory.
const maxHistoryOps = 1 << 24

// DecodeOps returns the operations of a change chunk (type 1, or 2 with its
// body inflated), in order, as automerge will apply them. Actor indexes are
// resolved through the change's actor table (the change's own actor first,
// then its other actors) to hex ids.
//
// c should come from [ParseChunks]; for any other Chunk, DecodeOps checks
// and reads its Raw bytes as ParseChunks would, whatever its other fields
// say. DecodeOps decodes at most [MaxChangeOps] operations and
// 4 × MaxChangeOps predecessors, and allocates O(operations + len(body)).
// It never panics. Errors wrap [ErrChunkType] (not a change),
// [ErrTooLarge] (over the limits), [ErrTruncated] or [ErrMalformed]: a
// column DecodeOps does not know (automerge reads such a column as nothing
// and drops it when it saves, and a column nobody reads could carry writes
// nobody checked; ParseChunks refuses them too), a value, key or object id
// that does not decode, an unknown action, or an increment by a
// non-integer. Where automerge might read a change differently from
// DecodeOps, DecodeOps fails: a value whose declared length is not exactly
// what its type needs, an empty mark name, a counter of zero in an object
// or element id.
//
// Columns that end before the last operation read as nulls (automerge
// omits a column whose values are all null), so an omitted object column
// means the root, and an omitted insert column means no inserts.
func DecodeOps(c Chunk) ([]Op, error) {
	ops, err := decodeOps(c, MaxChangeOps)
	if err != nil {
		return nil, fmt.Errorf("failed to decode ops of change %s: %w", c.Hash, err)
	}
	return ops, nil
}

func decodeOps(c Chunk, maxOps uint64) ([]Op, error) {
	body := c.body
	if body == nil {
		// Not a change from ParseChunks: check the bytes first.
		parsed, _, err := parseChunk(c.Raw, DefaultMaxTotal, false)
		if err != nil {
			return nil, err
		}
		if parsed.Type == ChunkDocument {
			return nil, fmt.Errorf("%v: %w", parsed.Type, ErrChunkType)
		}
		body = parsed.body
	}
	l, err := readChangeLayout(body)
	if err != nil {
		return nil, err
	}
	n, err := rleRows(l.cols.action, maxOps)
	if err != nil {
		return nil, fmt.Errorf("action column: %w", err)
	}
	if n > 0 && n-1 > math.MaxUint64-l.startOp {
		return nil, fmt.Errorf("op counters overflow: %w", ErrMalformed)
	}
	npred, err := countPreds(l.cols.predGroup, n, maxPredsPerOp*max(n, MaxChangeOps))
	if err != nil {
		return nil, err
	}
	d := newOpDecoder(l)
	ops := make([]Op, n)
	preds := make([]OpID, npred)
	for i := range ops {
		if preds, err = d.next(&ops[i], uint64(i), preds); err != nil {
			return nil, fmt.Errorf("op %d: %w", i, err)
		}
	}
	return ops, nil
}

// changeLayout is what decoding needs from a change body: the actor table,
// the first op's counter and the op columns.
type changeLayout struct {
	actors  []string // the change's actor, then the other actors
	startOp uint64
	cols    changeCols
}

// changeCols holds the data of a change's op columns; nil for an absent
// column.
type changeCols struct {
	objActor, objCtr              []byte
	keyActor, keyCtr, keyStr      []byte
	insert, action                []byte
	valMeta, valRaw               []byte
	predGroup, predActor, predCtr []byte
	expand, markName              []byte
}

// readChangeLayout reads a change body: the header as parseChangeHeader
// checks it, then the column metadata and data.
func readChangeLayout(body []byte) (changeLayout, error) {
	var l changeLayout
	r := reader{b: body}
	ndeps := r.uleb("dependency count")
	if r.err == nil && ndeps > uint64(r.remaining()/len(Hash{})) {
		r.fail(ErrTruncated, "dependencies")
	}
	r.take(ndeps*uint64(len(Hash{})), "dependencies")
	actor := r.take(r.uleb("actor length"), "actor")
	r.uleb("seq")
	l.startOp = r.uleb("start op")
	r.sleb("time")
	r.take(r.uleb("message length"), "message")
	nactors := r.uleb("other actor count")
	if r.err == nil && nactors > uint64(r.remaining()) {
		r.fail(ErrTruncated, "other actors")
	}
	if r.err != nil {
		return changeLayout{}, r.err
	}
	if len(actor) == 0 || l.startOp == 0 {
		return changeLayout{}, fmt.Errorf("empty actor or start op 0: %w", ErrMalformed)
	}
	l.actors = make([]string, 1, 1+nactors)
	l.actors[0] = hex.EncodeToString(actor)
	for i := uint64(0); i < nactors && r.err == nil; i++ {
		other := r.take(r.uleb("other actor length"), "other actor")
		if r.err == nil && len(other) == 0 {
			r.fail(ErrMalformed, "empty other actor")
		}
		l.actors = append(l.actors, hex.EncodeToString(other))
	}
	l.cols = r.opColumnData()
	if r.err != nil {
		return changeLayout{}, r.err
	}
	return l, nil
}

// opColumnData reads column metadata and returns the columns' data, with
// the checks of reader.columnLayout.
func (r *reader) opColumnData() changeCols {
	data, spans := r.columnLayout()
	if r.err != nil {
		return changeCols{}
	}
	col := func(spec uint64) []byte { return column(data, spans, spec) }
	return changeCols{
		objActor: col(0<<4 | 1), objCtr: col(0<<4 | 2),
		keyActor: col(1<<4 | 1), keyCtr: col(1<<4 | 3), keyStr: col(1<<4 | 5),
		insert: col(3<<4 | 4), action: col(actionColumn),
		valMeta: col(5<<4 | 6), valRaw: col(5<<4 | 7),
		predGroup: col(7 << 4), predActor: col(7<<4 | 1), predCtr: col(7<<4 | 3),
		expand: col(9<<4 | 4), markName: col(10<<4 | 5),
	}
}

// countPreds sums the first n rows of the pred group column, failing with
// ErrTooLarge above limit.
func countPreds(col []byte, n, limit uint64) (uint64, error) {
	d := rleDecoder{r: reader{b: col}}
	var total uint64
	for i := uint64(0); i < n; i++ {
		k, _, _ := d.next()
		if d.r.err != nil {
			return 0, fmt.Errorf("pred group column: %w", d.r.err)
		}
		if k > limit-total {
			return 0, fmt.Errorf("more than %d predecessors: %w", limit, ErrTooLarge)
		}
		total += k
	}
	return total, nil
}

// opDecoder reads a change's operations row by row.
type opDecoder struct {
	actors                        []string
	startOp                       uint64
	objActor, objCtr              rleDecoder
	keyActor, keyCtr, keyStr      rleDecoder
	action, valMeta               rleDecoder
	predGroup, predActor, predCtr rleDecoder
	markName                      rleDecoder
	insert, expand                boolDecoder
	raw                           reader
}

func newOpDecoder(l changeLayout) *opDecoder {
	c := l.cols
	return &opDecoder{
		actors:    l.actors,
		startOp:   l.startOp,
		objActor:  rleDecoder{r: reader{b: c.objActor}},
		objCtr:    rleDecoder{r: reader{b: c.objCtr}},
		keyActor:  rleDecoder{r: reader{b: c.keyActor}},
		keyCtr:    rleDecoder{r: reader{b: c.keyCtr}, signed: true},
		keyStr:    rleDecoder{r: reader{b: c.keyStr}, str: true},
		action:    rleDecoder{r: reader{b: c.action}},
		valMeta:   rleDecoder{r: reader{b: c.valMeta}},
		predGroup: rleDecoder{r: reader{b: c.predGroup}},
		predActor: rleDecoder{r: reader{b: c.predActor}},
		predCtr:   rleDecoder{r: reader{b: c.predCtr}, signed: true},
		markName:  rleDecoder{r: reader{b: c.markName}, str: true},
		insert:    boolDecoder{r: reader{b: c.insert}},
		expand:    boolDecoder{r: reader{b: c.expand}},
		raw:       reader{b: c.valRaw},
	}
}

// col reads the next value of an RLE column; ok is false for a null.
func col(d *rleDecoder, name string) (u uint64, s string, ok bool, err error) {
	u, s, ok = d.next()
	if d.r.err != nil {
		return 0, "", false, fmt.Errorf("%s column: %w", name, d.r.err)
	}
	return u, s, ok, nil
}

// opID resolves an actor index and a counter.
func (d *opDecoder) opID(actor, ctr uint64, what string) (OpID, error) {
	if actor >= uint64(len(d.actors)) {
		return OpID{}, fmt.Errorf("%s: actor index %d of %d: %w", what, actor, len(d.actors), ErrMalformed)
	}
	if ctr == 0 || ctr > math.MaxInt64 {
		return OpID{}, fmt.Errorf("%s: counter %d: %w", what, int64(ctr), ErrMalformed)
	}
	return OpID{Ctr: ctr, Actor: d.actors[actor]}, nil
}

// next decodes operation i into op, taking its predecessors from the front
// of preds and returning the rest.
func (d *opDecoder) next(op *Op, i uint64, preds []OpID) ([]OpID, error) {
	op.ID = OpID{Ctr: d.startOp + i, Actor: d.actors[0]}
	if err := d.obj(op); err != nil {
		return nil, err
	}
	if err := d.key(op); err != nil {
		return nil, err
	}
	op.Insert = d.insert.next()
	if d.insert.r.err != nil {
		return nil, fmt.Errorf("insert column: %w", d.insert.r.err)
	}
	a, _, ok, err := col(&d.action, "action")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("null action: %w", ErrMalformed)
	case a > uint64(ActionMark):
		return nil, fmt.Errorf("unknown action %d: %w", a, ErrMalformed)
	}
	op.Action = Action(a)
	meta, _, _, err := col(&d.valMeta, "value metadata")
	if err != nil {
		return nil, err
	}
	if op.Value, err = decodeValue(meta, &d.raw); err != nil {
		return nil, err
	}
	if op.Action == ActionIncrement && op.Value.Kind != ValueInt && op.Value.Kind != ValueUint {
		return nil, fmt.Errorf("increment by %v: %w", op.Value.Kind, ErrMalformed)
	}
	if preds, err = d.pred(op, preds); err != nil {
		return nil, err
	}
	op.Expand = d.expand.next()
	if d.expand.r.err != nil {
		return nil, fmt.Errorf("expand column: %w", d.expand.r.err)
	}
	_, name, ok, err := col(&d.markName, "mark name")
	switch {
	case err != nil:
		return nil, err
	case ok && !utf8.ValidString(name):
		return nil, fmt.Errorf("mark name is not UTF-8: %w", ErrMalformed)
	case ok && name == "" && op.Action == ActionMark:
		return nil, fmt.Errorf("mark with an empty name: %w", ErrMalformed)
	}
	op.MarkName = name
	return preds, nil
}

// obj decodes the object columns: both null for the root.
func (d *opDecoder) obj(op *Op) error {
	actor, _, aok, err := col(&d.objActor, "object actor")
	if err != nil {
		return err
	}
	ctr, _, cok, err := col(&d.objCtr, "object counter")
	switch {
	case err != nil:
		return err
	case !aok && !cok:
		op.Obj = RootObj
		return nil
	case aok != cok:
		return fmt.Errorf("object id half null: %w", ErrMalformed)
	}
	id, err := d.opID(actor, ctr, "object id")
	op.Obj = ObjID(id)
	return err
}

// key decodes the key columns: a string for a map key, actor and counter
// for an element, counter 0 alone for the list head.
func (d *opDecoder) key(op *Op) error {
	actor, _, aok, err := col(&d.keyActor, "key actor")
	if err != nil {
		return err
	}
	ctr, _, cok, err := col(&d.keyCtr, "key counter")
	if err != nil {
		return err
	}
	_, s, sok, err := col(&d.keyStr, "key string")
	switch {
	case err != nil:
		return err
	case sok && !aok && !cok:
		if !utf8.ValidString(s) {
			return fmt.Errorf("key is not UTF-8: %w", ErrMalformed)
		}
		op.Key = s
		return nil
	case !sok && !aok && cok && ctr == 0:
		op.ElemKey = true // the head
		return nil
	case !sok && aok && cok:
		op.ElemKey = true
		op.Elem, err = d.opID(actor, ctr, "element id")
		return err
	}
	return fmt.Errorf("key is neither a string nor an element id: %w", ErrMalformed)
}

// pred decodes the operation's predecessors into the front of preds.
func (d *opDecoder) pred(op *Op, preds []OpID) ([]OpID, error) {
	n, _, _, err := col(&d.predGroup, "pred group")
	if err != nil {
		return nil, err
	}
	if n > uint64(len(preds)) {
		// countPreds read the same column; this cannot happen.
		return nil, fmt.Errorf("predecessor count changed: %w", ErrMalformed)
	}
	for j := range n {
		actor, _, aok, err := col(&d.predActor, "pred actor")
		if err != nil {
			return nil, err
		}
		ctr, _, cok, err := col(&d.predCtr, "pred counter")
		if err != nil {
			return nil, err
		}
		if !aok || !cok {
			return nil, fmt.Errorf("null predecessor: %w", ErrMalformed)
		}
		if preds[j], err = d.opID(actor, ctr, "predecessor"); err != nil {
			return nil, err
		}
	}
	if n > 0 {
		op.Pred = preds[:n:n]
	}
	return preds[n:], nil
}
