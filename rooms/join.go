package rooms

import (
	"errors"
	"fmt"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// admit joins a new member: it sends the welcome and the initial state in
// the mode the hello calls for, then adds the member to the fan-out, all
// in one step of the session goroutine so nothing is missed in between.
func (s *Session) admit(req JoinRequest, conn Conn) (*Member, error) {
	switch {
	case s.ended:
		return nil, ErrSessionEnded
	case s.removed[req.User]:
		return nil, ErrRemoved
	case s.cfg.MaxParticipants > 0 && len(s.members) >= s.cfg.MaxParticipants:
		return nil, ErrSessionFull
	}
	if s.courseID == "" {
		s.courseID, s.settings = req.CourseID, req.Settings
		s.startsAt, s.endsAt, s.video = req.StartsAt, req.EndsAt, req.Video
	}
	s.nextPeer++
	m := &Member{
		ID:      fmt.Sprintf("p%d", s.nextPeer),
		User:    req.User,
		Name:    req.Name,
		Role:    req.Role,
		role:    req.Role,
		Guest:   req.Guest,
		session: s,
		conn:    conn,
		// A heartbeat that says only "active" changes nothing others see.
		cursor: wire.Presence{Status: "active"},
	}

	mode := wire.ModeSnapshot
	var known []crdt.Hash
	if len(req.Heads) > 0 || req.Mode == wire.ModeSync {
		mode = wire.ModeSync
		if hs, err := crdt.ParseHashes(req.Heads); err == nil && req.Mode != wire.ModeSync && s.doc.HasAll(hs) {
			mode, known = wire.ModeChanges, hs
		}
	}

	welcome := wire.Welcome{
		Protocol: wire.Version, Server: "homeroom", Session: s.id, Peer: m.ID,
		User: m.User, Role: string(m.role), Mode: mode, Heads: s.heads(),
	}
	if s.reg.welcome != nil {
		s.reg.welcome(&welcome)
	}
	conn.SendInitial(wire.JSONFrame(wire.TypeWelcome, welcome))

	switch mode {
	case wire.ModeSnapshot:
		s.sendSnapshot(conn)
	case wire.ModeChanges:
		chunks, err := s.doc.ChangesSince(known)
		if err != nil {
			return nil, fmt.Errorf("changes since client heads: %w", err)
		}
		if len(chunks) > 0 {
			conn.SendInitial(wire.AppendChanges(nil, 0, chunks))
		}
		conn.SendInitial(s.syncedFrame())
	case wire.ModeSync:
		m.syncState = automerge.NewSyncState(s.doc.Automerge())
		s.sendSync(m)
	}

	s.sendActivityState(m, req.ChatSince)
	s.members = append(s.members, m)
	s.metrics.memberUp(mode)
	now := time.Now()
	s.roster.joined(m, now)
	s.attJoined(m, now)
	return m, nil
}

func (s *Session) heads() []string {
	if s.join.heads == nil {
		s.join.heads = crdt.HashStrings(s.doc.Heads())
	}
	return s.join.heads
}

func (s *Session) syncedFrame() []byte {
	if s.join.syncedFrame == nil {
		s.join.syncedFrame = wire.JSONFrame(wire.TypeSynced, wire.Synced{Heads: s.heads()})
	}
	return s.join.syncedFrame
}

// receiveSync runs one step of the Automerge sync protocol with a member
// that joined in sync mode. Changes it brings are published like any other.
func (s *Session) receiveSync(m *Member, msg []byte) {
	if !s.isMember(m) {
		return
	}
	if m.syncState == nil {
		m.syncState = automerge.NewSyncState(s.doc.Automerge())
	}
	// Changes riding in the sync message go through the same checks as a
	// changes frame before the sync state sees them; it then finds them
	// already applied.
	carried, err := crdt.ParseSyncMessage(msg)
	if err != nil {
		m.conn.Send(wire.NewError(wire.CodeBadSync, 0, err.Error()).Frame())
		return
	}
	if len(carried) > 0 {
		parsed, err := crdt.ParseChunks(carried, crdt.DefaultMaxTotal)
		if err == nil {
			err = s.accept(m, parsed, time.Now())
		}
		if err != nil {
			var r *refusal
			e := wire.NewError(wire.CodeBadSync, 0, err.Error())
			if errors.As(err, &r) {
				e.Code, e.Reset = r.code, true
			}
			s.metrics.rejected(e.Code)
			m.conn.Send(e.Frame())
			return
		}
	}
	if _, err := m.syncState.ReceiveMessage(msg); err != nil {
		m.conn.Send(wire.NewError(wire.CodeBadSync, 0, err.Error()).Frame())
		return
	}
	s.sendSync(m)
}

// sendSync sends the member's next sync message, or synced when the two
// documents agree.
func (s *Session) sendSync(m *Member) {
	sm, ok := m.syncState.GenerateMessage()
	if !ok {
		m.conn.SendInitial(s.syncedFrame())
		return
	}
	m.conn.SendInitial(wire.EncodeFrame(wire.TypeSync, sm.Bytes()))
}
