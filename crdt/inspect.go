package crdt

import (
	"errors"
	"fmt"
)

// ErrUnknownObject is returned by [Inspect] for an operation on an object
// that is neither in the index nor made earlier in the same change.
// automerge would refuse such a change too; the server should refuse it
// without applying it.
var ErrUnknownObject = errors.New("crdt: operation on an unknown object")

// Target is what one operation of a change touches, in terms of the
// document schema (docs/document.md): which section, which entry of it,
// which field of the entry. Authorization rules are written against it.
//
// How writes look:
//   - a write to a key of the root map (Root): Section "", Entry the root
//     key. Creating a map at root["board"] is such a write, and replaces
//     the whole board for every reader.
//   - a write to a section map: Section, Entry the key written (stroke id,
//     user id), Field "". CreatesEntry, DeletesEntry and EntryCreator
//     describe the entry.
//   - a write to an entry map: Field the key written ("author").
//   - a write below a field (Nested): Field the entry's key the object
//     hangs from. Appending points is Set ops inserting elements into the
//     list at Field "points"; JavaScript's default strings are Text
//     objects, so `author: "u1"` is a MakeText at Field "author" followed
//     by one nested insert per character.
type Target struct {
	// Op is the index of the operation in the ops given to Inspect.
	Op int
	// Root is set for writes to a key of the root map; Entry is the key.
	Root bool
	// Section is "meta", "board", "hands" or "presence"; "" for the root,
	// for objects under any other root key and for objects whose place
	// the index does not know. Treat "" as writable by the server only.
	Section string
	// Entry is the entry key (stroke id, user id), or the root key for a
	// root write; "" for an element of a section that is a list.
	Entry string
	// Field is the key of the entry map written or written under; "" for
	// writes to the section map (the entry itself).
	Field string
	// Nested is set when the operation writes inside an object below
	// entry[Field] (a list element, a text character, a nested map key).
	Nested bool
	// Action is the operation's action.
	Action Action
	// CreatesEntry is set for a Set or Make* on a section-map key that
	// held no value before this change.
	CreatesEntry bool
	// DeletesEntry is set for a Delete on a section-map key.
	DeletesEntry bool
	// EntryCreator is the actor that made the entry: for writes to a
	// section-map key, the actor of the value readers see there before
	// this change (the winner if values conflict; "" if there is none);
	// for writes inside an entry object, the actor that created that
	// object (the change's own actor if the change created it, so "the
	// sender's own entry" is one check for new and old entries alike).
	//
	// A write or delete on a section-map key replaces exactly the values
	// in its op's Pred; any other current value stays, as a conflict.
	// Rules that let a user replace or delete only their own entries
	// should also check that every Pred's actor is theirs.
	EntryCreator string
	// Value is the value of a Set (also of an Increment: the amount, and
	// of a Mark). For a MakeText whose text object this change fills, it
	// is the text the change leaves in it (ValueStr), so a JavaScript
	// string can be checked like a scalar one; it stays null when the
	// text holds anything but strings or its inserts do not resolve.
	Value Value
}

// Inspect resolves every operation of one change (from [DecodeOps]) to
// the [Target] it touches, without changing ix. Operations on objects the
// same change made earlier resolve through those objects. It fails with
// [ErrUnknownObject] for an operation on an object ix does not know and
// the change did not make before it, and with [ErrMalformed] for an
// operation whose key does not fit its object (an element of a map, a key
// of a list, an insert into a map, an insert that deletes or increments).
//
// Inspect works in O(len(ops)) time and memory. The caller applies the
// change only if every target is allowed, then adds it to ix.
func Inspect(ix *ObjectIndex, ops []Op) ([]Target, error) {
	if ix == nil {
		ix = NewObjectIndex()
	}
	targets := make([]Target, len(ops))
	var made map[ObjID]ObjInfo // objects made by this change
	var texts map[ObjID]*textBuilder
	for i := range ops {
		op := &ops[i]
		obj, ok := made[op.Obj]
		if !ok {
			obj, ok = ix.objs[op.Obj]
		}
		if !ok {
			return nil, fmt.Errorf("op %d (%s): object %s: %w", i, op.ID, op.Obj, ErrUnknownObject)
		}
		if err := checkKey(obj, op); err != nil {
			return nil, fmt.Errorf("op %d (%s): %w", i, op.ID, err)
		}
		targets[i] = resolve(ix, obj, op, i)
		if b := texts[op.Obj]; b != nil {
			b.apply(op)
		}
		kind, makes := op.Action.Makes()
		if !makes {
			continue
		}
		if made == nil {
			made = make(map[ObjID]ObjInfo)
		}
		made[ObjID(op.ID)] = childInfo(obj, true, op, kind)
		if kind == ObjText {
			if texts == nil {
				texts = make(map[ObjID]*textBuilder)
			}
			texts[ObjID(op.ID)] = &textBuilder{target: i}
		}
	}
	for _, b := range texts {
		if s, ok := b.text(); ok {
			targets[b.target].Value = Value{Kind: ValueStr, Str: s}
		}
	}
	return targets, nil
}

// checkKey fails for an operation whose key does not fit its object.
func checkKey(obj ObjInfo, op *Op) error {
	switch {
	case obj.Kind.sequence() && !op.ElemKey:
		return fmt.Errorf("map key %q in %v %s: %w", op.Key, obj.Kind, obj.ID, ErrMalformed)
	case !obj.Kind.sequence() && op.ElemKey:
		return fmt.Errorf("element %s in %v %s: %w", op.Elem, obj.Kind, obj.ID, ErrMalformed)
	case op.Insert && !op.ElemKey:
		return fmt.Errorf("insert into %v %s: %w", obj.Kind, obj.ID, ErrMalformed)
	case op.Insert && (op.Action == ActionDelete || op.Action == ActionIncrement):
		return fmt.Errorf("insert with action %v: %w", op.Action, ErrMalformed)
	}
	return nil
}

// resolve places op, which writes into obj.
func resolve(ix *ObjectIndex, obj ObjInfo, op *Op, i int) Target {
	t := Target{Op: i, Action: op.Action, Section: obj.Section}
	switch op.Action {
	case ActionSet, ActionIncrement, ActionMark:
		t.Value = op.Value
	}
	key := op.Key
	if op.ElemKey {
		key = ""
	}
	switch {
	case obj.depth == 0:
		t.Root, t.Entry = true, key
	case obj.depth == 1:
		t.Entry = key
		if op.ElemKey {
			break
		}
		w, exists := ix.winner(slot{obj.ID, key})
		if exists {
			t.EntryCreator = w.Actor
		}
		_, makes := op.Action.Makes()
		t.CreatesEntry = !exists && (makes || op.Action == ActionSet)
		t.DeletesEntry = op.Action == ActionDelete
	case obj.depth == 2:
		t.Entry, t.Field, t.EntryCreator = obj.Entry, key, obj.entryCreator
	case obj.depth > 2:
		t.Entry, t.Field, t.EntryCreator, t.Nested = obj.Entry, obj.Field, obj.entryCreator, true
	}
	return t
}
