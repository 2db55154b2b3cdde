package crdt

import (
	"fmt"
	"slices"
)

// ObjInfo says where an object lives in the document. Sections are the
// maps at the root keys meta, board, hands and presence; entries are the
// values in a section map (a stroke, a user's presence); fields are the
// keys of an entry map. An object keeps the place it was created at, even
// after it is overwritten or deleted: automerge still applies operations
// to it.
type ObjInfo struct {
	ID     ObjID
	Kind   ObjKind
	Parent ObjID
	// Key is the object's key in its parent map; "" when the object is a
	// list element (or the root).
	Key string
	// Section is the root key the object lives under: "meta", "board",
	// "hands" or "presence"; "" for the root itself, for objects under
	// any other root key, and for objects whose parent the index never
	// saw.
	Section string
	// Entry is the key in the section map of the entry the object is or
	// lies inside (a stroke id, a user id); "" for a section map itself.
	Entry string
	// Field is the key in the entry map the object is or lies inside
	// ("points", "author"); "" for the entry object itself and above.
	Field string
	// Creator is the hex actor id of the operation that made the object.
	Creator string

	depth        int    // 0 root, 1 section, 2 entry, 3 and more below; -1 unknown
	entryCreator string // Creator of the entry object at depth 2
}

// Sections are the maps New creates at the root.
func isSection(key string) bool {
	switch key {
	case keyMeta, keyBoard, keyHands, keyPresence:
		return true
	}
	return false
}

// ObjectIndex knows, for every object of a document, where it lives
// ([ObjInfo]), and which operations hold the current values of the root's
// keys and of the section maps' keys (who made each entry). [Inspect]
// resolves a change's operations against it.
//
// Build it once per document with [BuildIndex] and extend it with every
// change the document takes afterwards, in the order they are applied
// ([ObjectIndex.Add], [ObjectIndex.AddChanges]): the server's own commits
// as well as applied remote changes. Like a [Doc], it is owned by one
// goroutine.
type ObjectIndex struct {
	objs map[ObjID]ObjInfo
	// live holds, for each key of the root and of the section maps, the
	// operations whose values are current (several when they conflict).
	live map[slot][]OpID
	// seen is the highest op counter added per actor; an actor's counters
	// only grow, so lower ones were added already.
	seen map[string]uint64
}

type slot struct {
	obj ObjID
	key string
}

// NewObjectIndex returns the index of an empty document: just the root.
func NewObjectIndex() *ObjectIndex {
	return &ObjectIndex{
		objs: map[ObjID]ObjInfo{RootObj: {Kind: ObjMap}},
		live: map[slot][]OpID{},
		seen: map[string]uint64{},
	}
}

// BuildIndex indexes the whole history of d, change by change in the
// order automerge returns them (each after its dependencies). Pending
// edits are committed first and returned by the next [Doc.Commit]; adding
// that change to the index again is harmless.
func BuildIndex(d *Doc) (*ObjectIndex, error) {
	d.flush()
	changes, err := d.am.Changes()
	if err != nil {
		return nil, fmt.Errorf("failed to index document: %w", err)
	}
	ix := NewObjectIndex()
	for _, ch := range changes {
		if err := ix.addChunks(ch.Save()); err != nil {
			return nil, fmt.Errorf("failed to index document: change %s: %w", ch.Hash(), err)
		}
	}
	return ix, nil
}

// AddChanges adds the changes in b (concatenated change chunks, such as
// [Applied.Chunks]) to the index. Call it only with changes the document
// has applied. The chunks are checked as ParseChunks checks them, without
// its per-change operation limits: the document holds them already.
func (ix *ObjectIndex) AddChanges(b []byte) error {
	if err := ix.addChunks(b); err != nil {
		return fmt.Errorf("failed to index changes: %w", err)
	}
	return nil
}

func (ix *ObjectIndex) addChunks(b []byte) error {
	for off := 0; off < len(b); {
		c, _, err := parseChunk(b[off:], DefaultMaxTotal, false)
		if err != nil {
			return err
		}
		off += len(c.Raw)
		if c.Type == ChunkDocument {
			return fmt.Errorf("%v: %w", c.Type, ErrChunkType)
		}
		ops, err := decodeOps(c, maxHistoryOps)
		if err != nil {
			return fmt.Errorf("change %s: %w", c.Hash, err)
		}
		ix.Add(ops)
	}
	return nil
}

// Add extends the index with the operations of a change the document has
// applied. Operations already added (by counter, per actor) are skipped.
// An operation on an object the index does not know is indexed with an
// unknown place: objects it makes have no Section.
func (ix *ObjectIndex) Add(ops []Op) {
	for i := range ops {
		op := &ops[i]
		if op.ID.Ctr <= ix.seen[op.ID.Actor] {
			continue
		}
		ix.seen[op.ID.Actor] = op.ID.Ctr
		parent, known := ix.objs[op.Obj]
		if kind, ok := op.Action.Makes(); ok {
			ix.objs[ObjID(op.ID)] = childInfo(parent, known, op, kind)
		}
		if known && (parent.depth == 0 || parent.depth == 1) && !op.ElemKey && !op.Insert {
			ix.setLive(slot{op.Obj, op.Key}, op)
		}
	}
}

// Lookup returns what the index knows about object id.
func (ix *ObjectIndex) Lookup(id ObjID) (ObjInfo, bool) {
	info, ok := ix.objs[id]
	return info, ok
}

// Len returns the number of objects indexed, the root included.
func (ix *ObjectIndex) Len() int {
	return len(ix.objs)
}

// setLive records that op overwrites its predecessors at s (and, unless it
// deletes, holds a value there).
func (ix *ObjectIndex) setLive(s slot, op *Op) {
	switch op.Action {
	case ActionIncrement, ActionMark:
		return // an increment changes a value without replacing it
	}
	cur := ix.live[s]
	cur = slices.DeleteFunc(cur, func(id OpID) bool { return slices.Contains(op.Pred, id) })
	if op.Action != ActionDelete && !slices.Contains(cur, op.ID) {
		cur = append(cur, op.ID)
	}
	if len(cur) == 0 {
		delete(ix.live, s)
		return
	}
	ix.live[s] = cur
}

// winner returns the operation whose value automerge shows at s: the
// highest op id among the current values.
func (ix *ObjectIndex) winner(s slot) (OpID, bool) {
	cur := ix.live[s]
	if len(cur) == 0 {
		return OpID{}, false
	}
	w := cur[0]
	for _, id := range cur[1:] {
		if w.less(id) {
			w = id
		}
	}
	return w, true
}

// childInfo places the object op makes in parent.
func childInfo(parent ObjInfo, known bool, op *Op, kind ObjKind) ObjInfo {
	info := ObjInfo{ID: ObjID(op.ID), Kind: kind, Parent: op.Obj, Creator: op.ID.Actor, depth: -1}
	if !op.ElemKey {
		info.Key = op.Key
	}
	if !known || parent.depth < 0 {
		return info
	}
	info.depth = parent.depth + 1
	switch parent.depth {
	case 0:
		if isSection(info.Key) && !op.ElemKey {
			info.Section = info.Key
		}
	case 1:
		info.Section, info.Entry, info.entryCreator = parent.Section, info.Key, info.Creator
	case 2:
		info.Section, info.Entry, info.Field, info.entryCreator = parent.Section, parent.Entry, info.Key, parent.entryCreator
	default:
		info.Section, info.Entry, info.Field, info.entryCreator = parent.Section, parent.Entry, parent.Field, parent.entryCreator
	}
	return info
}
