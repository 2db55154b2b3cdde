package crdt

import "strings"

// textBuilder replays the operations of one change on a text object the
// same change made, to learn the string the change leaves in it.
//
// Every element of such a text is inserted by the change itself, and each
// insert has a higher op id than every element before it, so automerge
// places it immediately after the element it references, ahead of that
// element's earlier followers. The elements thus form a tree (each
// element's children are the elements inserted right after it, newest
// first) whose pre-order walk is the text's order. Building and walking
// the tree is linear in the number of operations.
type textBuilder struct {
	target int // index of the MakeText's Target
	elems  []textElem
	index  map[OpID]int32 // element id → index in elems
	head   int32          // first child of the list head
	bad    bool           // the text holds something other than strings
}

type textElem struct {
	val         string
	visible     bool
	first, next int32 // first child and next sibling; -1 for none
}

// apply replays one operation on the text object.
func (b *textBuilder) apply(op *Op) {
	if b.bad {
		return
	}
	if b.index == nil {
		b.index = make(map[OpID]int32)
		b.head = -1
	}
	at := int32(-1) // the head
	if !op.Elem.IsZero() {
		i, ok := b.index[op.Elem]
		if !ok {
			b.bad = true // an element of some other object
			return
		}
		at = i
	}
	switch {
	case op.Insert && op.Action == ActionMark:
		b.insert(at, op.ID, textElem{}) // marks are invisible elements
	case op.Insert && op.Action == ActionSet && op.Value.Kind == ValueStr:
		b.insert(at, op.ID, textElem{val: op.Value.Str, visible: true})
	case !op.Insert && at >= 0 && op.Action == ActionSet && op.Value.Kind == ValueStr:
		b.elems[at].val, b.elems[at].visible = op.Value.Str, true
	case !op.Insert && at >= 0 && op.Action == ActionDelete:
		b.elems[at].visible = false
	default:
		b.bad = true // objects, numbers or counters in the text
	}
}

func (b *textBuilder) insert(after int32, id OpID, e textElem) {
	n := int32(len(b.elems))
	e.first = -1
	if after < 0 {
		e.next, b.head = b.head, n
	} else {
		e.next, b.elems[after].first = b.elems[after].first, n
	}
	b.elems = append(b.elems, e)
	b.index[id] = n
}

// text returns the string in the text object, in order.
func (b *textBuilder) text() (string, bool) {
	if b.bad {
		return "", false
	}
	if b.index == nil {
		return "", true // made and left empty
	}
	var sb strings.Builder
	var stack []int32
	for n := b.head; n >= 0 || len(stack) > 0; {
		if n < 0 {
			n, stack = stack[len(stack)-1], stack[:len(stack)-1]
			continue
		}
		e := &b.elems[n]
		if e.visible {
			sb.WriteString(e.val)
		}
		if e.next >= 0 {
			stack = append(stack, e.next)
		}
		n = e.first
	}
	return sb.String(), true
}
