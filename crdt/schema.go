package crdt

import (
	"fmt"
	"math"
)

// SchemaVersion is the version of the document schema this package writes
// into meta.schema. Documents with a higher version are refused by [Load].
const SchemaVersion = 1

// Keys of the root map and of the objects below it. docs/document.md is the
// reference for JavaScript clients.
const (
	keyMeta     = "meta"
	keyBoard    = "board"
	keyHands    = "hands"
	keyPresence = "presence"

	keySchema  = "schema"
	keySession = "session"

	keyID      = "id"
	keyAuthor  = "author"
	keyTool    = "tool"
	keyColor   = "color"
	keyWidth   = "width"
	keyPoints  = "points"
	keyText    = "text"
	keyCreated = "created"

	keyName     = "name"
	keyRole     = "role"
	keyJoinedAt = "joined_at"
	keyStatus   = "status"
	keyLeftAt   = "left_at"
)

// Stroke tools.
const (
	ToolPen         = "pen"
	ToolHighlighter = "highlighter"
	ToolEraser      = "eraser"
	ToolLine        = "line"
	ToolRect        = "rect"
	ToolEllipse     = "ellipse"
	ToolText        = "text"
)

// Participant roles.
const (
	RoleTeacher   = "teacher"
	RoleModerator = "moderator"
	RoleStudent   = "student"
	RoleObserver  = "observer"
)

// Presence statuses.
const (
	StatusOnline  = "online"
	StatusAway    = "away"
	StatusOffline = "offline"
)

// Meta is the server-written header of a document.
type Meta struct {
	Schema   int      `json:"schema"`
	Session  string   `json:"session"`
	Settings Settings `json:"settings"`
}

// Stroke is one whiteboard item, stored at board[ID].
type Stroke struct {
	ID     string  `json:"id"`
	Author string  `json:"author"` // user id
	Tool   string  `json:"tool"`   // one of the Tool constants
	Color  string  `json:"color"`  // #rrggbb
	Width  float64 `json:"width"`
	// Points is flat: x0, y0, x1, y1, ... A pen stroke grows by appending
	// points while it is drawn.
	Points  []float64 `json:"points"`
	Text    string    `json:"text,omitempty"` // for ToolText
	Created int64     `json:"created"`        // unix ms
}

// Presence is one participant, stored at presence[user id].
type Presence struct {
	Name     string `json:"name"`
	Role     string `json:"role"`      // one of the Role constants
	JoinedAt int64  `json:"joined_at"` // unix ms
	Status   string `json:"status"`    // one of the Status constants
	LeftAt   int64  `json:"left_at,omitempty"`
}

// State is a typed snapshot of a whole document.
type State struct {
	Meta     Meta                `json:"meta"`
	Board    map[string]Stroke   `json:"board"`    // stroke id → stroke
	Hands    map[string]int64    `json:"hands"`    // user id → raised at, unix ms
	Presence map[string]Presence `json:"presence"` // user id → presence
}

// Validate reports whether the stroke may be written; errors wrap
// [ErrSchema].
func (s Stroke) Validate() error {
	switch {
	case s.ID == "":
		return fmt.Errorf("stroke: empty id: %w", ErrSchema)
	case !validTool(s.Tool):
		return fmt.Errorf("stroke %q: unknown tool %q: %w", s.ID, s.Tool, ErrSchema)
	case !validColor(s.Color):
		return fmt.Errorf("stroke %q: color %q is not #rrggbb: %w", s.ID, s.Color, ErrSchema)
	case !finite(s.Width) || s.Width < 0:
		return fmt.Errorf("stroke %q: invalid width %v: %w", s.ID, s.Width, ErrSchema)
	}
	return validPoints(s.ID, s.Points)
}

// Validate reports whether the presence entry may be written; errors wrap
// [ErrSchema].
func (p Presence) Validate() error {
	switch {
	case !validRole(p.Role):
		return fmt.Errorf("presence: unknown role %q: %w", p.Role, ErrSchema)
	case !validStatus(p.Status):
		return fmt.Errorf("presence: unknown status %q: %w", p.Status, ErrSchema)
	}
	return nil
}

func validPoints(strokeID string, pts []float64) error {
	if len(pts)%2 != 0 {
		return fmt.Errorf("stroke %q: odd number of coordinates (%d): %w", strokeID, len(pts), ErrSchema)
	}
	for _, p := range pts {
		if !finite(p) {
			return fmt.Errorf("stroke %q: coordinate %v: %w", strokeID, p, ErrSchema)
		}
	}
	return nil
}

func validTool(t string) bool {
	switch t {
	case ToolPen, ToolHighlighter, ToolEraser, ToolLine, ToolRect, ToolEllipse, ToolText:
		return true
	}
	return false
}

func validRole(r string) bool {
	switch r {
	case RoleTeacher, RoleModerator, RoleStudent, RoleObserver:
		return true
	}
	return false
}

func validStatus(s string) bool {
	switch s {
	case StatusOnline, StatusAway, StatusOffline:
		return true
	}
	return false
}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

func finite(f float64) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0)
}
