package rooms

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/chat"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// Chat error codes (docs/activities.md).
const (
	codeChatLocked = wire.CodeChatLocked
	codeMuted      = wire.CodeMuted
)

// chatMessageFrame is a chat_message as clients receive it.
type chatMessageFrame struct {
	Type string `json:"type"`
	activities.ChatMessage
}

func isStaff(r Role) bool { return Allowed(r, ActModerate) }

// chatSend posts a member's message: checked, numbered, sent to everyone
// who may see it (encoded once), then queued for the transcript.
func (s *Session) chatSend(m *Member, payload []byte) {
	var req chat.SendRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		refuseFor(m, wire.CodeBadFrame, "", "chat_send: %v", err)
		return
	}
	switch {
	case !Allowed(m.role, ActChat):
		refuseFor(m, wire.CodeForbidden, req.ID, "a %s may not chat", m.role)
		return
	case s.muted[m.User]:
		refuseFor(m, codeMuted, req.ID, "you have been muted in this session")
		return
	case s.settings.ChatLocked && !Allowed(m.role, ActLockChat):
		refuseFor(m, codeChatLocked, req.ID, "the chat is locked by the teacher")
		return
	}
	if err := req.Check(); err != nil {
		refuseFor(m, chatErrorCode(err), req.ID, "%v", err)
		return
	}
	now := time.Now()
	if !s.chatLimiter.Allow(m.User, isStaff(m.role), now) {
		refuseFor(m, wire.CodeRateLimited, req.ID, "you are sending messages too fast")
		return
	}
	msg, dup := s.act.chat.Post(activities.ChatMessage{
		Session: s.id, ClientID: req.ID, User: m.User, Name: m.Name, Role: string(m.role),
		To: req.To, Text: req.Text, SentAt: now,
	})
	frame := chatFrame(msg)
	if !dup {
		s.act.chatVersion++
		if msg.To != activities.ToEveryone {
			s.act.privateSenders[m.User] = true
		}
	}
	if dup {
		// A retry: the sender missed the echo; nobody else needs it again.
		m.conn.Send(frame)
		return
	}
	s.sendChat(msg, frame, now)
	s.metrics.chatMessage()
	s.reg.act.w.chat(chatWrite{msg: msg})
	s.engaged(m, activities.EventChat, now)
}

func chatFrame(msg activities.ChatMessage) []byte {
	b, _ := json.Marshal(chatMessageFrame{Type: "chat_message", ChatMessage: msg})
	return wire.EncodeFrame(wire.TypeApp, b)
}

// chatErrorCode maps a request check failure to its wire code.
func chatErrorCode(err error) wire.Code {
	var ce interface{ ErrorCode() string }
	if errors.As(err, &ce) {
		return wire.Code(ce.ErrorCode())
	}
	return wire.CodeBadFrame
}

// chatHistory answers a member asking for the messages after a seq.
func (s *Session) chatHistory(m *Member, payload []byte) {
	var req struct {
		Since int64 `json:"since"`
	}
	if err := json.Unmarshal(payload, &req); err != nil || req.Since < 0 {
		refuseFor(m, wire.CodeBadFrame, "", "chat_history needs a non-negative since")
		return
	}
	m.conn.Send(s.chatHistoryFrame(m, req.Since, true))
}

// chatHistoryFrame returns exactly the messages after since that m may
// see when resume is set and the ring still holds them; otherwise the
// recent history, marked reset.
func (s *Session) chatHistoryFrame(m *Member, since int64, resume bool) []byte {
	staff := isStaff(m.role)
	a := s.act
	if !resume && !staff && !a.privateSenders[m.User] {
		// A join storm: every student who never wrote privately sees the
		// same recent history, encoded once per change of the chat.
		if a.publicRecent == nil || a.publicRecentAt != a.chatVersion {
			a.publicRecent = s.recentHistoryFrame(func(msg activities.ChatMessage) bool { return msg.To == activities.ToEveryone })
			a.publicRecentAt = a.chatVersion
		}
		return a.publicRecent
	}
	visible := func(msg activities.ChatMessage) bool { return chat.Visible(msg, m.User, staff) }
	if resume {
		if msgs, complete := a.chat.Since(since, visible); complete {
			// Deletions of messages the client already had may have
			// happened while it was away: their tombstones come first.
			old := a.chat.Recent(s.reg.act.cfg.ChatHistory, func(msg activities.ChatMessage) bool {
				return msg.Seq <= since && msg.Deleted() && visible(msg)
			})
			return historyFrame(append(old, msgs...), false)
		}
	}
	return s.recentHistoryFrame(visible)
}

func (s *Session) recentHistoryFrame(visible func(activities.ChatMessage) bool) []byte {
	return historyFrame(s.act.chat.Recent(s.reg.act.cfg.ChatJoinHistory, visible), true)
}

func historyFrame(msgs []activities.ChatMessage, reset bool) []byte {
	if msgs == nil {
		msgs = []activities.ChatMessage{}
	}
	b, _ := json.Marshal(map[string]any{"type": "chat_history", "messages": msgs, "reset": reset})
	return wire.EncodeFrame(wire.TypeApp, b)
}

// chatDelete turns a message into a tombstone for everyone.
func (s *Session) chatDelete(m *Member, payload []byte) {
	var req struct {
		Seq int64 `json:"seq"`
	}
	if err := json.Unmarshal(payload, &req); err != nil || req.Seq <= 0 {
		refuseFor(m, wire.CodeBadFrame, "", "chat_delete needs the seq of a message")
		return
	}
	if !Allowed(m.role, ActModerate) {
		refuseFor(m, wire.CodeForbidden, "", "a %s may not delete chat messages", m.role)
		return
	}
	now := time.Now()
	msg, ok := s.act.chat.Delete(req.Seq, m.User, now)
	if !ok {
		refuseFor(m, codeNotFound, "", "no chat message %d in this session's recent history", req.Seq)
		return
	}
	s.act.chatVersion++
	b, _ := json.Marshal(map[string]any{"type": "chat_deleted", "seq": req.Seq, "by": m.User})
	frame := wire.EncodeFrame(wire.TypeApp, b)
	s.sendChat(msg, frame, now)
	s.reg.act.w.chat(chatWrite{del: &chatDeletion{seq: req.Seq, by: m.User, at: now}, session: s.id})
	s.audit(m, "chat.delete", msg.User)
}

// sendChat sends a frame about msg to every member who may see msg; a
// public message needs no check per member.
func (s *Session) sendChat(msg activities.ChatMessage, frame []byte, at time.Time) {
	public := msg.To == activities.ToEveryone
	for _, o := range s.members {
		if public || chat.Visible(msg, o.User, isStaff(o.role)) {
			o.conn.SendAt(frame, at)
		}
	}
}
