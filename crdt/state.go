package crdt

import (
	"encoding/json"
	"fmt"

	"github.com/automerge/automerge-go"
)

// State reads the whole document into a [State]. Reading is lenient, as
// the document is written by untrusted clients too: strings may be scalars
// or Text, numbers any of int, uint or float; missing sections read as
// empty maps, entries that are not maps are skipped and fields of the wrong
// type read as zero values. It fails only if automerge does.
func (d *Doc) State() (State, error) {
	return readState(d.am)
}

// StateAt reads the document as it was at heads, which must all be
// changes of this document ([ErrUnknownHeads] otherwise). Analysts and
// tests use it to compare replicas at one point of history.
func (d *Doc) StateAt(heads []Hash) (State, error) {
	if !d.HasAll(heads) {
		return State{}, fmt.Errorf("state at heads: %w", ErrUnknownHeads)
	}
	past, err := d.am.Fork(toChangeHashes(heads)...)
	if err != nil {
		return State{}, fmt.Errorf("failed to fork document at heads: %w", err)
	}
	return readState(past)
}

func readState(am *automerge.Doc) (State, error) {
	root, err := am.RootMap().Values()
	if err != nil {
		return State{}, fmt.Errorf("failed to read document: %w", err)
	}
	s := State{
		Meta:     readMeta(root[keyMeta]),
		Board:    map[string]Stroke{},
		Hands:    map[string]int64{},
		Presence: map[string]Presence{},
	}
	for id, v := range fields(root[keyBoard]) {
		if m := fields(v); m != nil {
			s.Board[id] = readStroke(m)
		}
	}
	for user, v := range fields(root[keyHands]) {
		if at, ok := readInt(v); ok {
			s.Hands[user] = at
		}
	}
	for user, v := range fields(root[keyPresence]) {
		if m := fields(v); m != nil {
			s.Presence[user] = readPresence(m)
		}
	}
	return s, nil
}

// JSON returns the [State] as JSON. Map keys are sorted, so equal documents
// give equal bytes.
func (d *Doc) JSON() ([]byte, error) {
	s, err := d.State()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("failed to encode document state: %w", err)
	}
	return b, nil
}

func (d *Doc) readMeta() (Meta, error) {
	v, err := d.am.RootMap().Get(keyMeta)
	if err != nil {
		return Meta{}, fmt.Errorf("failed to read meta: %w", err)
	}
	return readMeta(v), nil
}

func readMeta(v *automerge.Value) Meta {
	m := fields(v)
	return Meta{
		Schema:   int(fieldInt(m, keySchema)),
		Session:  fieldString(m, keySession),
		Settings: readSettings(m[keySettings]),
	}
}

func readStroke(m map[string]*automerge.Value) Stroke {
	s := Stroke{
		ID:      fieldString(m, keyID),
		Author:  fieldString(m, keyAuthor),
		Tool:    fieldString(m, keyTool),
		Color:   fieldString(m, keyColor),
		Width:   fieldFloat(m, keyWidth),
		Points:  []float64{},
		Text:    fieldString(m, keyText),
		Created: fieldInt(m, keyCreated),
	}
	if v, ok := m[keyPoints]; ok {
		s.Points = readFloats(v)
	}
	return s
}

func readPresence(m map[string]*automerge.Value) Presence {
	return Presence{
		Name:     fieldString(m, keyName),
		Role:     fieldString(m, keyRole),
		JoinedAt: fieldInt(m, keyJoinedAt),
		Status:   fieldString(m, keyStatus),
		LeftAt:   fieldInt(m, keyLeftAt),
	}
}
