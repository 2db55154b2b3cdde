package crdt

import (
	"fmt"
	"strconv"
)

// The types below describe the operations inside a change, as [DecodeOps]
// reads them from the change's columns (see the Automerge binary format,
// "change chunks"). automerge-go does not expose operations; the server
// needs them to authorize a change before applying it ([Inspect]).

// OpID identifies an operation: its counter (Lamport clock) and the hex id
// of the actor that made it. The zero OpID is the list head in [Op.Elem].
type OpID struct {
	Ctr   uint64
	Actor string
}

// IsZero reports whether id is the zero OpID (the list head, for an
// element key).
func (id OpID) IsZero() bool {
	return id.Ctr == 0 && id.Actor == ""
}

// String formats the id as automerge does: "ctr@actor", or "_head".
func (id OpID) String() string {
	if id.IsZero() {
		return "_head"
	}
	return strconv.FormatUint(id.Ctr, 10) + "@" + id.Actor
}

// less orders op ids as automerge does when it picks the winner among
// conflicting values: by counter, then by actor id bytes (hex preserves
// their order).
func (id OpID) less(o OpID) bool {
	if id.Ctr != o.Ctr {
		return id.Ctr < o.Ctr
	}
	return id.Actor < o.Actor
}

// ObjID identifies an object: the root map (the zero ObjID) or the id of
// the operation that created the object. ObjID(op.ID) is the id of the
// object a make operation creates.
type ObjID struct {
	Ctr   uint64
	Actor string
}

// RootObj is the id of the document's root map.
var RootObj = ObjID{}

// IsRoot reports whether o is the root map.
func (o ObjID) IsRoot() bool {
	return o == RootObj
}

// String formats the id as automerge does: "_root" or "ctr@actor".
func (o ObjID) String() string {
	if o.IsRoot() {
		return "_root"
	}
	return OpID(o).String()
}

// Action is what an operation does; the values are the action column's
// codes.
type Action uint8

// The actions of the Automerge binary format. Set is automerge's "put"
// (JavaScript's decodeChange calls it "set"). Mark is a text mark's begin
// (MarkName set) or end (MarkName empty).
const (
	ActionMakeMap   Action = 0
	ActionSet       Action = 1
	ActionMakeList  Action = 2
	ActionDelete    Action = 3
	ActionMakeText  Action = 4
	ActionIncrement Action = 5
	ActionMakeTable Action = 6
	ActionMark      Action = 7
)

// String names the action as JavaScript's decodeChange does.
func (a Action) String() string {
	switch a {
	case ActionMakeMap:
		return "makeMap"
	case ActionSet:
		return "set"
	case ActionMakeList:
		return "makeList"
	case ActionDelete:
		return "del"
	case ActionMakeText:
		return "makeText"
	case ActionIncrement:
		return "inc"
	case ActionMakeTable:
		return "makeTable"
	case ActionMark:
		return "mark"
	default:
		return fmt.Sprintf("action %d", uint8(a))
	}
}

// Makes reports whether the action creates an object, and which kind.
func (a Action) Makes() (ObjKind, bool) {
	switch a {
	case ActionMakeMap:
		return ObjMap, true
	case ActionMakeList:
		return ObjList, true
	case ActionMakeText:
		return ObjText, true
	case ActionMakeTable:
		return ObjTable, true
	}
	return 0, false
}

// ObjKind is the type of an object.
type ObjKind uint8

// Object kinds. The root is a map. Maps and tables have string keys, lists
// and texts have element keys.
const (
	ObjMap ObjKind = iota
	ObjList
	ObjText
	ObjTable
)

// String names the kind.
func (k ObjKind) String() string {
	switch k {
	case ObjMap:
		return "map"
	case ObjList:
		return "list"
	case ObjText:
		return "text"
	case ObjTable:
		return "table"
	default:
		return fmt.Sprintf("kind %d", uint8(k))
	}
}

// sequence reports whether objects of the kind have element keys.
func (k ObjKind) sequence() bool {
	return k == ObjList || k == ObjText
}

// Op is one operation of a change.
type Op struct {
	// ID is the operation's id: counter StartOp+i for the change's i-th
	// operation, actor the change's actor.
	ID OpID
	// Obj is the object the operation writes into.
	Obj ObjID
	// Key is the map key written, when ElemKey is false. The empty string
	// is a valid key.
	Key string
	// ElemKey is set when the operation addresses a list or text element
	// (Elem) rather than a map key.
	ElemKey bool
	// Elem is the element written (or, for an insert, the element to
	// insert after); the zero OpID is the head of the list.
	Elem OpID
	// Insert is set when the operation inserts a new element after Elem
	// instead of overwriting Elem. The new element's id is ID.
	Insert bool
	// Action is what the operation does.
	Action Action
	// Value is the value a Set writes, the amount an Increment adds (int
	// or uint) and a Mark's value; null for the other actions.
	Value Value
	// Pred lists the operations this one overwrites (Set, Make*, Delete)
	// or increments (Increment). A write with no Pred on a key that holds
	// a value makes a conflict, and the higher op id wins.
	Pred []OpID
	// Expand and MarkName belong to Mark operations: a mark begins when
	// MarkName is set and ends otherwise.
	Expand   bool
	MarkName string
}

// String formats the operation for logs and test failures.
func (op Op) String() string {
	key := strconv.Quote(op.Key)
	if op.ElemKey {
		key = op.Elem.String()
	}
	s := fmt.Sprintf("%s %s %s[%s]", op.ID, op.Action, op.Obj, key)
	if op.Insert {
		s += " insert"
	}
	if op.Action == ActionSet || op.Action == ActionIncrement || op.Action == ActionMark {
		s += " " + op.Value.String()
	}
	if op.MarkName != "" {
		s += " name=" + strconv.Quote(op.MarkName)
	}
	if op.Expand {
		s += " expand"
	}
	if len(op.Pred) > 0 {
		s += fmt.Sprintf(" pred=%v", op.Pred)
	}
	return s
}
