package crdt

import (
	"fmt"

	"github.com/automerge/automerge-go"
)

// section returns one of the root maps created by New. Sections are never
// created here: a replica that created its own would conflict with the
// server's (see New).
func (d *Doc) section(key string) (*automerge.Map, error) {
	v, err := d.am.RootMap().Get(key)
	if err != nil {
		return nil, err
	}
	if v.Kind() != automerge.KindMap {
		return nil, fmt.Errorf("section %q is %v, not a map: %w", key, v.Kind(), ErrSchema)
	}
	return v.Map(), nil
}

// entry returns the map at section[key]. If it is missing (or not a map)
// and create is set, a new map is written there; otherwise the error wraps
// ErrNotFound.
func (d *Doc) entry(section, key string, create bool) (*automerge.Map, error) {
	sec, err := d.section(section)
	if err != nil {
		return nil, err
	}
	v, err := sec.Get(key)
	if err != nil {
		return nil, err
	}
	if v.Kind() == automerge.KindMap {
		return v.Map(), nil
	}
	if !create {
		return nil, fmt.Errorf("%s[%q]: %w", section, key, ErrNotFound)
	}
	d.touch()
	m := automerge.NewMap()
	if err := sec.Set(key, m); err != nil {
		return nil, err
	}
	return m, nil
}

// presenceEntry returns presence[userID] and its current fields (nil for
// a new entry).
func (d *Doc) presenceEntry(userID string, create bool) (*automerge.Map, map[string]*automerge.Value, error) {
	entry, err := d.entry(keyPresence, userID, create)
	if err != nil {
		return nil, nil, err
	}
	have, err := entry.Values()
	if err != nil {
		return nil, nil, err
	}
	return entry, have, nil
}

// update writes the key, value pairs (string or int64 values) whose key is
// missing from have or holds a different value.
func (d *Doc) update(m *automerge.Map, have map[string]*automerge.Value, kv ...any) error {
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if cur, ok := have[k]; ok && sameValue(cur, kv[i+1]) {
			continue
		}
		if err := d.set(m, k, kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// updateOrDelete is setOrDelete that skips writes that change nothing.
func (d *Doc) updateOrDelete(m *automerge.Map, have map[string]*automerge.Value, key string, v int64) error {
	if v != 0 {
		return d.update(m, have, key, v)
	}
	if _, ok := have[key]; !ok {
		return nil
	}
	d.touch()
	return m.Delete(key)
}

// sameValue reports whether the stored value reads as want (a string or
// an int64), in any representation the readers accept.
func sameValue(cur *automerge.Value, want any) bool {
	switch w := want.(type) {
	case string:
		s, ok := readString(cur)
		return ok && s == w
	case int64:
		switch cur.Kind() {
		case automerge.KindInt64:
			return cur.Int64() == w
		case automerge.KindUint64:
			return w >= 0 && cur.Uint64() == uint64(w)
		case automerge.KindFloat64:
			return cur.Float64() == float64(w)
		}
	}
	return false
}

// set writes key, value pairs into m.
func (d *Doc) set(m *automerge.Map, kv ...any) error {
	d.touch()
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if err := m.Set(k, kv[i+1]); err != nil {
			return fmt.Errorf("set %q: %w", k, err)
		}
	}
	return nil
}

// deleteKey removes section[key] if present.
func (d *Doc) deleteKey(section, key string) error {
	sec, err := d.section(section)
	if err != nil {
		return err
	}
	return d.deleteFrom(sec, key)
}

// deleteFrom removes m[key] if present, so deleting a missing key leaves
// nothing to commit.
func (d *Doc) deleteFrom(m *automerge.Map, key string) error {
	v, err := m.Get(key)
	if err != nil {
		return err
	}
	if v.IsVoid() {
		return nil
	}
	d.touch()
	return m.Delete(key)
}

func appendFloats(l *automerge.List, fs []float64) error {
	for _, f := range fs {
		if err := l.Append(f); err != nil {
			return err
		}
	}
	return nil
}
