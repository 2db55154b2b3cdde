package rooms

import (
	"errors"
	"time"
)

// Config tunes live sessions. The zero value is usable.
type Config struct {
	// RosterInterval batches server-written roster (presence) changes into
	// one document change. Default 250ms (presence must show within 1 s).
	RosterInterval time.Duration
	// CursorInterval batches ephemeral cursor updates into one frame.
	// Default 50ms.
	CursorInterval time.Duration
	// SnapshotEvery is how many changes may pile up after the cached join
	// snapshot before the next fresh join re-saves it. Default 256.
	SnapshotEvery int
	// IdleTimeout unloads a session this long after its last member left.
	// Default 60s.
	IdleTimeout time.Duration
	// MaxParticipants caps members of one session (0: no cap). Default 0.
	MaxParticipants int
	// MaxDocBytes caps a session document's size (its saved form plus the
	// changes since); changes past it are refused with too_large. Default
	// 64 MiB; negative: no cap.
	MaxDocBytes int
	// InboxSize is the depth of a session's event queue; readers wait when
	// it is full. Default 4096.
	InboxSize int
	// SaveTimeout bounds one write of a document to the store. Default 10s.
	SaveTimeout time.Duration
	// SaveInterval is how often a live session writes the changes made
	// since its last write; a node that dies loses at most about this
	// much. Default 1s.
	SaveInterval time.Duration
	// PersistQueue bounds the document writes waiting for the store (a
	// database outage fills it; sessions then keep their changes in memory
	// and retry). Default 4096.
	PersistQueue int
}

func (c Config) withDefaults() Config {
	if c.RosterInterval == 0 {
		c.RosterInterval = 250 * time.Millisecond
	}
	if c.CursorInterval == 0 {
		c.CursorInterval = 50 * time.Millisecond
	}
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 256
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.MaxDocBytes == 0 {
		c.MaxDocBytes = 64 << 20
	}
	if c.InboxSize == 0 {
		c.InboxSize = 4096
	}
	if c.SaveTimeout == 0 {
		c.SaveTimeout = 10 * time.Second
	}
	if c.SaveInterval == 0 {
		c.SaveInterval = time.Second
	}
	if c.PersistQueue == 0 {
		c.PersistQueue = 4096
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.RosterInterval < 0 || c.CursorInterval < 0 || c.IdleTimeout < 0 || c.SaveTimeout < 0 || c.SaveInterval < 0 {
		return errors.New("rooms: negative duration")
	}
	if c.SnapshotEvery < 0 || c.MaxParticipants < 0 || c.InboxSize < 0 || c.PersistQueue < 0 {
		return errors.New("rooms: negative limit")
	}
	return nil
}
