package crdt

import (
	"errors"
	"fmt"
	"strings"

	"github.com/automerge/automerge-go"
)

// Redact returns a new document holding d's current state without user:
// their presence entry and raised hand are gone, and the strokes they drew
// stay on the board with pseudonym as their author (and in their ids,
// wherever an id of such a stroke holds the user id, as client-made ids
// such as "<user>-<uuid>" do). Everything else is copied as it reads now,
// fields this package does not know included (e.g. a stroke's pressure):
// maps, lists, Text, counters and scalars keep their kinds.
//
// The copy has a fresh history: one change by a new random actor. That is
// the point of it. Deleting a key in d would keep the deleted value in
// d's history, and so in its saved bytes; the copy's bytes hold nothing
// that is not in its current state. The price is that the copy shares no
// object ids and no history with d: replicas of d cannot sync with it and
// must load it afresh (a fresh join), and changes made on top of d do not
// apply to it.
//
// Redact only reads d. The document's text content is copied as it is:
// text a participant typed on the board is not searched for names.
func Redact(d *Doc, user, pseudonym string) (*Doc, error) {
	if err := checkRedact(user, pseudonym); err != nil {
		return nil, err
	}
	d.flush()
	root, err := d.am.RootMap().Values()
	if err != nil {
		return nil, fmt.Errorf("failed to redact document: %w", err)
	}
	am := automerge.New()
	dst := am.RootMap()
	for key, v := range root {
		switch key {
		case keyPresence, keyHands:
			err = copyMapWithout(dst, key, v, user)
		case keyBoard:
			err = copyBoard(dst, v, user, pseudonym)
		default:
			err = copyValue(dst, key, v)
		}
		if err != nil {
			return nil, fmt.Errorf("failed to redact document: %s: %w", key, err)
		}
	}
	if _, err := am.Commit("homeroom: redacted copy"); err != nil && !strings.Contains(err.Error(), "Commit is empty") {
		return nil, fmt.Errorf("failed to redact document: %w", err)
	}
	return &Doc{am: am}, nil
}

// Mentions reports whether the document names user where Redact would
// remove or replace it: a presence entry, a raised hand or a stroke the
// user drew.
func (d *Doc) Mentions(user string) (bool, error) {
	s, err := d.State()
	if err != nil {
		return false, err
	}
	return s.Mentions(user), nil
}

// Mentions reports whether the state names user in presence, hands or as
// the author of a stroke.
func (s State) Mentions(user string) bool {
	if _, ok := s.Presence[user]; ok {
		return true
	}
	if _, ok := s.Hands[user]; ok {
		return true
	}
	for _, st := range s.Board {
		if st.Author == user {
			return true
		}
	}
	return false
}

// errRedact is wrapped by the argument errors of the Redact functions.
var errRedact = errors.New("redact")

func checkRedact(user, pseudonym string) error {
	switch {
	case user == "":
		return fmt.Errorf("%w: empty user id", errRedact)
	case pseudonym == "":
		return fmt.Errorf("%w: empty pseudonym", errRedact)
	case pseudonym == user:
		return fmt.Errorf("%w: the pseudonym is the user id", errRedact)
	}
	return nil
}

// copyMapWithout copies the map v to dst[key] without its entry skip. A v
// that is not a map is copied as it is.
func copyMapWithout(dst *automerge.Map, key string, v *automerge.Value, skip string) error {
	if v.Kind() != automerge.KindMap {
		return copyValue(dst, key, v)
	}
	entries, err := v.Map().Values()
	if err != nil {
		return err
	}
	m := automerge.NewMap()
	if err := dst.Set(key, m); err != nil {
		return err
	}
	for k, child := range entries {
		if k == skip {
			continue
		}
		if err := copyValue(m, k, child); err != nil {
			return err
		}
	}
	return nil
}

// copyBoard copies the board to dst, giving the strokes user drew
// pseudonym as author and in their ids.
func copyBoard(dst *automerge.Map, v *automerge.Value, user, pseudonym string) error {
	if v.Kind() != automerge.KindMap {
		return copyValue(dst, keyBoard, v)
	}
	strokes, err := v.Map().Values()
	if err != nil {
		return err
	}
	board := automerge.NewMap()
	if err := dst.Set(keyBoard, board); err != nil {
		return err
	}
	for id, sv := range strokes {
		fs := fields(sv)
		if fs == nil || fieldString(fs, keyAuthor) != user {
			if err := copyValue(board, id, sv); err != nil {
				return err
			}
			continue
		}
		m := automerge.NewMap()
		if err := board.Set(strings.ReplaceAll(id, user, pseudonym), m); err != nil {
			return err
		}
		for k, child := range fs {
			switch k {
			case keyAuthor:
				err = m.Set(k, pseudonym)
			case keyID:
				s, _ := readString(child)
				err = m.Set(k, strings.ReplaceAll(s, user, pseudonym))
			default:
				err = copyValue(m, k, child)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// copyValue writes a copy of v at dst[key]; a value automerge cannot
// describe (void, or unknown to this version) is skipped.
func copyValue(dst *automerge.Map, key string, v *automerge.Value) error {
	switch v.Kind() {
	case automerge.KindMap:
		return copyMapWithout(dst, key, v, "")
	case automerge.KindList:
		l := automerge.NewList()
		if err := dst.Set(key, l); err != nil {
			return err
		}
		return copyList(l, v.List())
	case automerge.KindVoid, automerge.KindUnknown:
		return nil
	}
	x, err := detached(v)
	if err != nil {
		return err
	}
	return dst.Set(key, x)
}

// copyList appends copies of src's items to l, runs of plain values in
// one call.
func copyList(l *automerge.List, src *automerge.List) error {
	items, err := src.Values()
	if err != nil {
		return err
	}
	var run []any
	for _, it := range items {
		switch it.Kind() {
		case automerge.KindMap, automerge.KindList:
			if err := l.Append(run...); err != nil {
				return err
			}
			run = run[:0]
			if err := appendObject(l, it); err != nil {
				return err
			}
		case automerge.KindVoid, automerge.KindUnknown:
		default:
			x, err := detached(it)
			if err != nil {
				return err
			}
			run = append(run, x)
		}
	}
	return l.Append(run...)
}

// appendObject appends a copy of the map or list v to l.
func appendObject(l *automerge.List, v *automerge.Value) error {
	if v.Kind() == automerge.KindList {
		nl := automerge.NewList()
		if err := l.Append(nl); err != nil {
			return err
		}
		return copyList(nl, v.List())
	}
	entries, err := v.Map().Values()
	if err != nil {
		return err
	}
	m := automerge.NewMap()
	if err := l.Append(m); err != nil {
		return err
	}
	for k, child := range entries {
		if err := copyValue(m, k, child); err != nil {
			return err
		}
	}
	return nil
}

// detached returns a scalar, Text or counter value in a form automerge
// writes anew: Text as new Text, a counter as a new counter with its
// current value, anything else as its Go value.
func detached(v *automerge.Value) (any, error) {
	switch v.Kind() {
	case automerge.KindText:
		s, err := v.Text().Get()
		if err != nil {
			return nil, err
		}
		return automerge.NewText(s), nil
	case automerge.KindCounter:
		n, err := v.Counter().Get()
		if err != nil {
			return nil, err
		}
		return automerge.NewCounter(n), nil
	}
	return v.Interface(), nil
}
