package rooms

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// actionRequest is the JSON of a privileged app frame. User names the
// participant the action targets, where it has one.
type actionRequest struct {
	Type string `json:"type"`
	User string `json:"user,omitempty"`
}

// sessionAction is one privileged action: the permission it needs, and
// what it does, run on the session goroutine.
type sessionAction struct {
	needs  Action
	target bool // the request must name a user
	run    func(s *Session, by *Member, req actionRequest) error
}

// sessionActions lists every privileged app frame. docs/permissions.md
// documents them for client authors.
var sessionActions = map[string]sessionAction{
	"board.lock":   {needs: ActLockBoard, run: settingsAction(func(st *catalog.Settings) { st.BoardLocked = true })},
	"board.unlock": {needs: ActLockBoard, run: settingsAction(func(st *catalog.Settings) { st.BoardLocked = false })},
	"chat.lock":    {needs: ActLockChat, run: settingsAction(func(st *catalog.Settings) { st.ChatLocked = true })},
	"chat.unlock":  {needs: ActLockChat, run: settingsAction(func(st *catalog.Settings) { st.ChatLocked = false })},
	"board.clear": {needs: ActModerate, run: func(s *Session, _ *Member, _ actionRequest) error {
		_, err := s.doc.ClearBoard()
		return s.commitServer("board.clear", err)
	}},
	"hand.lower": {needs: ActModerate, target: true, run: func(s *Session, _ *Member, req actionRequest) error {
		return s.commitServer("hand.lower", s.doc.LowerHand(req.User))
	}},
	"hands.clear": {needs: ActModerate, run: func(s *Session, _ *Member, _ actionRequest) error {
		_, err := s.doc.LowerAllHands()
		return s.commitServer("hands.clear", err)
	}},
	"participant.mute": {needs: ActMute, target: true, run: func(s *Session, _ *Member, req actionRequest) error {
		s.muted[req.User] = true
		s.broadcastApp(map[string]any{"type": "participant.muted", "user": req.User, "muted": true})
		return nil
	}},
	"participant.unmute": {needs: ActMute, target: true, run: func(s *Session, _ *Member, req actionRequest) error {
		delete(s.muted, req.User)
		s.broadcastApp(map[string]any{"type": "participant.muted", "user": req.User, "muted": false})
		return nil
	}},
	"participant.remove": {needs: ActRemove, target: true, run: func(s *Session, by *Member, req actionRequest) error {
		if req.User == by.User {
			return fmt.Errorf("you cannot remove yourself")
		}
		s.removed[req.User] = true
		s.disconnectUser(req.User, wire.CloseRemoved, "removed from the session by "+string(by.role))
		return nil
	}},
	"screen.grant": {needs: ActShareScreen, target: true, run: func(s *Session, _ *Member, req actionRequest) error {
		s.screen = req.User
		s.broadcastApp(map[string]any{"type": "screen", "user": req.User})
		return nil
	}},
	"screen.revoke": {needs: ActShareScreen, run: func(s *Session, _ *Member, _ actionRequest) error {
		s.screen = ""
		s.broadcastApp(map[string]any{"type": "screen", "user": ""})
		return nil
	}},
	"session.end": {needs: ActEndSession, run: func(s *Session, _ *Member, _ actionRequest) error {
		s.reg.background(func(r *Registry) { r.endInCatalog(s.id) })
		s.end()
		return nil
	}},
}

// handleApp runs a privileged action after checking the member's role
// against the permission table, and records it in the audit log.
func (s *Session) handleApp(m *Member, app wire.App, payload []byte) {
	if s.handleActivity(m, app.Type, payload) {
		return
	}
	act, ok := sessionActions[app.Type]
	if !ok {
		m.conn.Send(wire.NewError(wire.CodeUnsupported, 0, fmt.Sprintf("app type %q is not handled", app.Type)).Frame())
		return
	}
	if !Allowed(m.role, act.needs) {
		s.metrics.rejected(wire.CodeForbidden)
		m.conn.Send(wire.NewError(wire.CodeForbidden, 0,
			fmt.Sprintf("a %s may not %s (%s)", m.role, act.needs, app.Type)).Frame())
		return
	}
	var req actionRequest
	if err := json.Unmarshal(payload, &req); err != nil || (act.target && req.User == "") {
		m.conn.Send(wire.NewError(wire.CodeBadFrame, 0, app.Type+" needs a JSON object with a user").Frame())
		return
	}
	if err := act.run(s, m, req); err != nil {
		m.conn.Send(wire.NewError(wire.CodeBadFrame, 0, fmt.Sprintf("%s: %v", app.Type, err)).Frame())
		return
	}
	s.audit(m, app.Type, req.User)
}

func (s *Session) audit(by *Member, action, target string) {
	entry := catalog.AuditEntry{At: time.Now(), ActorID: by.User, ActorRole: string(by.role),
		Action: action, SessionID: s.id, TargetID: target}
	s.reg.background(func(r *Registry) { r.record(entry) })
	if s.act != nil {
		s.record(activities.Event{Session: s.id, User: by.User, Kind: activities.EventAction, At: entry.At, Detail: action})
	}
}

// settingsAction changes the live settings and writes them into the
// document, where every replica sees them.
func settingsAction(change func(*catalog.Settings)) func(*Session, *Member, actionRequest) error {
	return func(s *Session, _ *Member, _ actionRequest) error {
		change(&s.settings)
		return s.applySettings()
	}
}

func (s *Session) applySettings() error {
	err := s.doc.SetSettings(crdt.Settings{
		BoardLocked:    s.settings.BoardLocked,
		ChatLocked:     s.settings.ChatLocked,
		StudentCursors: s.settings.StudentCursors,
	})
	return s.commitServer("settings", err)
}

// commitServer commits a server-written edit and publishes it.
func (s *Session) commitServer(what string, editErr error) error {
	if editErr != nil {
		s.doc.Commit("abandoned " + what) // keep the document free of half-done edits
		return editErr
	}
	applied, err := s.doc.Commit(what)
	if err != nil {
		return fmt.Errorf("commit %s: %w", what, err)
	}
	if applied.Count > 0 {
		s.publish(applied.Chunks, applied.Count, nil, time.Now())
	}
	return nil
}

func (s *Session) broadcastApp(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.log.Error("failed to encode app frame", "err", err)
		return
	}
	frame := wire.EncodeFrame(wire.TypeApp, b)
	for _, m := range s.members {
		m.conn.Send(frame)
	}
}

// disconnectUser closes every connection of user with code, after an
// error frame saying why, and takes them out of the fan-out at once.
func (s *Session) disconnectUser(user string, code websocket.StatusCode, reason string) {
	ec := wire.CodeRemoved
	if code == wire.CloseSessionEnded {
		ec = wire.CodeSessionEnded
	}
	for _, m := range slices.Clone(s.members) {
		if m.User != user && user != "" {
			continue
		}
		m.conn.Send(wire.NewError(ec, 0, reason).Frame())
		m.conn.Close(code, reason)
		s.leave(m)
	}
}

// end ends the session for everyone: members are closed with 4010 and
// joins are refused from now on.
func (s *Session) end() {
	if s.ended {
		return
	}
	s.ended, s.endedAt = true, time.Now()
	s.disconnectUser("", wire.CloseSessionEnded, "the session has ended")
	s.finalAttendance()
}

// setRole changes the role of every connection of user (an enrollment
// changed mid-session) and tells them.
func (s *Session) setRole(user string, role Role) {
	for _, m := range s.members {
		if m.User == user && m.role != role {
			m.role = role
			b, _ := json.Marshal(map[string]any{"type": "member.role", "user": user, "role": role})
			m.conn.Send(wire.EncodeFrame(wire.TypeApp, b))
		}
	}
}
