package crdt

import (
	"fmt"

	"github.com/automerge/automerge-go"
)

// The edit methods write server-authored (or, in tests and the load tool,
// client-authored) edits. They are pending until [Doc.Commit]; batch many
// and commit once. Inputs are validated before anything is written. Strings
// are written as scalar strings, integers as int64 and coordinates as
// float64, as docs/document.md specifies.

// SetPresence writes user userID's presence entry, creating it if needed.
// Only fields that differ from the stored entry are written, so repeated
// calls produce small changes; left_at is removed when p.LeftAt is zero.
func (d *Doc) SetPresence(userID string, p Presence) error {
	if userID == "" {
		return fmt.Errorf("set presence: empty user id: %w", ErrSchema)
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("set presence of %q: %w", userID, err)
	}
	entry, have, err := d.presenceEntry(userID, true)
	if err != nil {
		return fmt.Errorf("set presence of %q: %w", userID, err)
	}
	if err := d.update(entry, have, keyName, p.Name, keyRole, p.Role, keyJoinedAt, p.JoinedAt, keyStatus, p.Status); err != nil {
		return fmt.Errorf("set presence of %q: %w", userID, err)
	}
	if err := d.updateOrDelete(entry, have, keyLeftAt, p.LeftAt); err != nil {
		return fmt.Errorf("set presence of %q: %w", userID, err)
	}
	return nil
}

// SetPresenceStatus changes the status of an existing presence entry
// ([ErrNotFound] otherwise). Going offline records left_at = at; any other
// status removes left_at.
func (d *Doc) SetPresenceStatus(userID, status string, at int64) error {
	if !validStatus(status) {
		return fmt.Errorf("set status of %q: unknown status %q: %w", userID, status, ErrSchema)
	}
	entry, have, err := d.presenceEntry(userID, false)
	if err != nil {
		return fmt.Errorf("set status of %q: %w", userID, err)
	}
	if err := d.update(entry, have, keyStatus, status); err != nil {
		return fmt.Errorf("set status of %q: %w", userID, err)
	}
	leftAt := int64(0)
	if status == StatusOffline {
		leftAt = at
	}
	if err := d.updateOrDelete(entry, have, keyLeftAt, leftAt); err != nil {
		return fmt.Errorf("set status of %q: %w", userID, err)
	}
	return nil
}

// AddStroke writes s at board[s.ID], replacing any stroke with that id.
func (d *Doc) AddStroke(s Stroke) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("add stroke: %w", err)
	}
	board, err := d.section(keyBoard)
	if err != nil {
		return fmt.Errorf("add stroke %q: %w", s.ID, err)
	}
	d.touch()
	m := automerge.NewMap()
	if err := board.Set(s.ID, m); err != nil {
		return fmt.Errorf("add stroke %q: %w", s.ID, err)
	}
	err = d.set(m, keyID, s.ID, keyAuthor, s.Author, keyTool, s.Tool, keyColor, s.Color,
		keyWidth, s.Width, keyCreated, s.Created)
	if err == nil && s.Text != "" {
		err = d.set(m, keyText, s.Text)
	}
	if err != nil {
		return fmt.Errorf("add stroke %q: %w", s.ID, err)
	}
	pts := automerge.NewList()
	if err := m.Set(keyPoints, pts); err != nil {
		return fmt.Errorf("add stroke %q: %w", s.ID, err)
	}
	if err := appendFloats(pts, s.Points); err != nil {
		return fmt.Errorf("add stroke %q: %w", s.ID, err)
	}
	return nil
}

// AppendPoints appends x, y pairs to the points of stroke strokeID
// ([ErrNotFound] if there is no such stroke).
func (d *Doc) AppendPoints(strokeID string, pts ...float64) error {
	if err := validPoints(strokeID, pts); err != nil {
		return fmt.Errorf("append points: %w", err)
	}
	if len(pts) == 0 {
		return nil
	}
	stroke, err := d.entry(keyBoard, strokeID, false)
	if err != nil {
		return fmt.Errorf("append points to stroke %q: %w", strokeID, err)
	}
	v, err := stroke.Get(keyPoints)
	if err != nil {
		return fmt.Errorf("append points to stroke %q: %w", strokeID, err)
	}
	d.touch()
	var list *automerge.List
	switch v.Kind() {
	case automerge.KindList:
		list = v.List()
	default:
		list = automerge.NewList()
		if err := stroke.Set(keyPoints, list); err != nil {
			return fmt.Errorf("append points to stroke %q: %w", strokeID, err)
		}
	}
	if err := appendFloats(list, pts); err != nil {
		return fmt.Errorf("append points to stroke %q: %w", strokeID, err)
	}
	return nil
}

// DeleteStroke removes stroke id; deleting a missing stroke does nothing.
func (d *Doc) DeleteStroke(id string) error {
	if err := d.deleteKey(keyBoard, id); err != nil {
		return fmt.Errorf("delete stroke %q: %w", id, err)
	}
	return nil
}

// RaiseHand records that user userID raised their hand at unix ms at.
func (d *Doc) RaiseHand(userID string, at int64) error {
	if userID == "" {
		return fmt.Errorf("raise hand: empty user id: %w", ErrSchema)
	}
	hands, err := d.section(keyHands)
	if err != nil {
		return fmt.Errorf("raise hand of %q: %w", userID, err)
	}
	if err := d.set(hands, userID, at); err != nil {
		return fmt.Errorf("raise hand of %q: %w", userID, err)
	}
	return nil
}

// LowerHand lowers user userID's hand; lowering a lowered hand does nothing.
func (d *Doc) LowerHand(userID string) error {
	if err := d.deleteKey(keyHands, userID); err != nil {
		return fmt.Errorf("lower hand of %q: %w", userID, err)
	}
	return nil
}
