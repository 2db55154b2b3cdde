package crdt

import (
	"fmt"

	"github.com/automerge/automerge-go"
)

const (
	keySettings       = "settings"
	keyBoardLocked    = "board_locked"
	keyChatLocked     = "chat_locked"
	keyStudentCursors = "student_cursors"
)

// Settings are the session settings every replica must see, kept at
// meta.settings and written by the server alone: whether students may draw
// or chat, and whether they see each other's cursors.
type Settings struct {
	BoardLocked    bool `json:"board_locked"`
	ChatLocked     bool `json:"chat_locked"`
	StudentCursors bool `json:"student_cursors"`
}

// SetSettings writes the settings into meta.settings, creating that map on
// first use. Only the server calls it; no client may write meta.
func (d *Doc) SetSettings(s Settings) error {
	meta, err := d.section(keyMeta)
	if err != nil {
		return fmt.Errorf("set settings: %w", err)
	}
	v, err := meta.Get(keySettings)
	if err != nil {
		return fmt.Errorf("set settings: %w", err)
	}
	var m *automerge.Map
	if v.Kind() == automerge.KindMap {
		m = v.Map()
	} else {
		m = automerge.NewMap()
		if err := meta.Set(keySettings, m); err != nil {
			return fmt.Errorf("set settings: %w", err)
		}
	}
	for k, b := range map[string]bool{keyBoardLocked: s.BoardLocked, keyChatLocked: s.ChatLocked, keyStudentCursors: s.StudentCursors} {
		if cur, err := m.Get(k); err == nil && cur.Kind() == automerge.KindBool && cur.Bool() == b {
			continue
		}
		if err := m.Set(k, b); err != nil {
			return fmt.Errorf("set settings.%s: %w", k, err)
		}
		d.touch()
	}
	return nil
}

func readSettings(v *automerge.Value) Settings {
	m := fields(v)
	return Settings{
		BoardLocked:    fieldBool(m, keyBoardLocked),
		ChatLocked:     fieldBool(m, keyChatLocked),
		StudentCursors: fieldBool(m, keyStudentCursors),
	}
}

func fieldBool(m map[string]*automerge.Value, key string) bool {
	v, ok := m[key]
	return ok && v.Kind() == automerge.KindBool && v.Bool()
}

// ClearBoard deletes every board object and returns how many it deleted.
// Server-only: a moderator's "clear the board".
func (d *Doc) ClearBoard() (int, error) {
	return d.clearSection(keyBoard)
}

// LowerAllHands deletes every raised hand and returns how many.
func (d *Doc) LowerAllHands() (int, error) {
	return d.clearSection(keyHands)
}

func (d *Doc) clearSection(key string) (int, error) {
	sec, err := d.section(key)
	if err != nil {
		return 0, fmt.Errorf("clear %s: %w", key, err)
	}
	keys, err := sec.Keys()
	if err != nil {
		return 0, fmt.Errorf("clear %s: %w", key, err)
	}
	for _, k := range keys {
		if err := sec.Delete(k); err != nil {
			return 0, fmt.Errorf("clear %s[%q]: %w", key, k, err)
		}
	}
	if len(keys) > 0 {
		d.touch()
	}
	return len(keys), nil
}
