package rooms

import (
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// refusal is why a client's change may not be applied: the error code the
// client gets and a reason it can show. docs/permissions.md lists the
// rules.
type refusal struct {
	code   wire.Code
	reason string
}

func (r *refusal) Error() string { return r.reason }

func deny(code wire.Code, format string, args ...any) *refusal {
	return &refusal{code: code, reason: fmt.Sprintf(format, args...)}
}

// authorize checks every operation of a client's change chunks against the
// document's write rules before anything is applied. The chunks' objects
// are added to the session's object index as they are checked, so a later
// chunk in the same frame may write inside an object an earlier one made.
func (s *Session) authorize(m *Member, chunks []crdt.Chunk) *refusal {
	if m.role == RoleObserver {
		return deny(wire.CodeForbidden, "observers cannot change the document")
	}
	created := make(map[string]string) // strokes made by earlier chunks of this frame → author
	s.engagement = s.engagement[:0]
	for _, c := range chunks {
		if s.doc.HasAll([]crdt.Hash{c.Hash}) {
			continue // already applied; ApplyChanges will skip it
		}
		ops, err := crdt.DecodeOps(c)
		if err != nil {
			return deny(wire.CodeBadChange, "change %s: %v", c.Hash, err)
		}
		targets, err := crdt.Inspect(s.objects, ops)
		if err != nil {
			if errors.Is(err, crdt.ErrUnknownObject) {
				return deny(wire.CodeForbidden, "change %s writes an object the document does not have", c.Hash)
			}
			return deny(wire.CodeBadChange, "change %s: %v", c.Hash, err)
		}
		for _, t := range targets {
			if r := s.allowWrite(m, t, targets, created); r != nil {
				return r
			}
			s.noteEngagement(t)
		}
		s.objects.Add(ops)
	}
	return nil
}

// allowWrite applies the per-section, per-entry rules to one operation.
func (s *Session) allowWrite(m *Member, t crdt.Target, all []crdt.Target, created map[string]string) *refusal {
	privileged := Allowed(m.role, ActEditAnyStroke)
	switch t.Section {
	case "board":
		if s.settings.BoardLocked && !Allowed(m.role, ActWriteWhenLock) {
			return deny(wire.CodeBoardLocked, "the board is locked by the teacher")
		}
		if !Allowed(m.role, ActDraw) {
			return deny(wire.CodeForbidden, "a %s may not draw", m.role)
		}
		if privileged {
			return nil
		}
		return s.ownStroke(m, t, all, created)
	case "hands":
		if !Allowed(m.role, ActRaiseHand) {
			return deny(wire.CodeForbidden, "a %s may not raise a hand", m.role)
		}
		if t.Entry != m.User && !Allowed(m.role, ActModerate) {
			return deny(wire.CodeForbidden, "only your own hand (hands/%s) may be changed", m.User)
		}
		return nil
	case "presence":
		if t.Entry != m.User {
			return deny(wire.CodeForbidden, "only your own presence entry (presence/%s) may be changed", m.User)
		}
		return nil
	case "meta":
		return deny(wire.CodeForbidden, "meta and settings are written by the server alone")
	}
	if t.Root {
		return deny(wire.CodeForbidden, "the document's top level (%q) is written by the server alone", t.Entry)
	}
	return deny(wire.CodeForbidden, "that part of the document is written by the server alone")
}

// ownStroke lets a student create a stroke authored by themselves, and
// change or delete only strokes whose author they are.
func (s *Session) ownStroke(m *Member, t crdt.Target, all []crdt.Target, created map[string]string) *refusal {
	if t.Entry == "" {
		return deny(wire.CodeForbidden, "the board holds strokes by id only")
	}
	author, exists := created[t.Entry]
	if !exists {
		author, exists = s.doc.StrokeAuthor(t.Entry)
	}
	if exists {
		if author != m.User {
			return deny(wire.CodeForbidden, "stroke %q belongs to someone else", t.Entry)
		}
		return nil
	}
	// A new stroke: this change must name the sender as its author.
	for _, o := range all {
		if o.Section == "board" && o.Entry == t.Entry && o.Field == "author" && !o.Nested {
			if a, ok := o.Value.AsString(); ok && a == m.User {
				created[t.Entry] = a
				return nil
			}
			return deny(wire.CodeForbidden, "stroke %q must have author %q", t.Entry, m.User)
		}
	}
	return deny(wire.CodeForbidden, "stroke %q has no author", t.Entry)
}

// noteEngagement remembers the engagement a checked operation shows (a new
// stroke, a raised hand); accept records it once the change is applied.
func (s *Session) noteEngagement(t crdt.Target) {
	if !t.CreatesEntry || t.Field != "" {
		return
	}
	switch t.Section {
	case "board":
		s.engagement = append(s.engagement, activities.EventStroke)
	case "hands":
		s.engagement = append(s.engagement, activities.EventHand)
	}
}
