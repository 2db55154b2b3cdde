package rooms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/attendance"
	"github.com/homeroom-edu/homeroom/activities/chat"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// ActivityConfig tunes chat, polls, attendance and video. The zero value
// is usable.
type ActivityConfig struct {
	// ChatHistory is how many recent messages a live session keeps for
	// joins and reconnects. Default 500.
	ChatHistory int
	// ChatJoinHistory is how many of them a fresh join receives. Default 100.
	ChatJoinHistory int
	// Chat sets the per-role chat rates; zero values take chat's defaults.
	Chat chat.LimiterConfig
	// TallyInterval throttles the live poll tally sent to teachers.
	// Default 250ms.
	TallyInterval time.Duration
	// Attendance sets the thresholds of docs/attendance.md.
	Attendance attendance.Config
	// VideoErrorThreshold is the share of connected participants reporting
	// a video error within VideoErrorWindow above which everyone is sent
	// the fallback link. Default 0.2.
	VideoErrorThreshold float64
	// VideoErrorWindow is how far back video errors count. Default 1m.
	VideoErrorWindow time.Duration
	// VideoErrorMinimum is the least number of participants reporting
	// errors before the threshold applies, so one tablet out of three
	// does not switch a class. Default 3.
	VideoErrorMinimum int
	// BallotLinks keeps the voter of anonymous polls in the store, for
	// analysts only (the institution's policy). Default false.
	BallotLinks func(ctx context.Context, courseID string) bool
}

func (c ActivityConfig) withDefaults() ActivityConfig {
	if c.ChatHistory == 0 {
		c.ChatHistory = 500
	}
	if c.ChatJoinHistory == 0 {
		c.ChatJoinHistory = 100
	}
	if c.TallyInterval == 0 {
		c.TallyInterval = 250 * time.Millisecond
	}
	if c.VideoErrorThreshold == 0 {
		c.VideoErrorThreshold = 0.2
	}
	if c.VideoErrorWindow == 0 {
		c.VideoErrorWindow = time.Minute
	}
	if c.VideoErrorMinimum == 0 {
		c.VideoErrorMinimum = 3
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c ActivityConfig) Validate() error {
	if c.ChatHistory < 0 || c.ChatJoinHistory < 0 || c.VideoErrorMinimum < 0 {
		return errors.New("rooms: negative activity limit")
	}
	if c.TallyInterval < 0 || c.VideoErrorWindow < 0 {
		return errors.New("rooms: negative activity duration")
	}
	if c.VideoErrorThreshold < 0 || c.VideoErrorThreshold > 1 {
		return errors.New("rooms: video error threshold must be within [0, 1]")
	}
	return c.Attendance.Validate()
}

// chatSeqMargin is how far above the last stored chat seq a reloaded
// session continues (more than a second of messages of a busy class).
const chatSeqMargin = 1000

// activityHandler handles one activity app frame on the session goroutine.
type activityHandler func(s *Session, m *Member, payload []byte)

// activityHandlers lists the app frames of docs/activities.md that
// clients send.
var activityHandlers = map[string]activityHandler{
	"chat_send":          (*Session).chatSend,
	"chat_history":       (*Session).chatHistory,
	"chat_delete":        (*Session).chatDelete,
	"poll_open":          (*Session).pollOpen,
	"poll_answer":        (*Session).pollAnswer,
	"poll_close":         (*Session).pollClose,
	"poll_publish":       (*Session).pollPublish,
	"attendance_request": (*Session).attendanceRequest,
	"video_error":        (*Session).videoError,
	"video_switch":       (*Session).videoSwitch,
}

// liveActivities is a session's activity state, owned by its goroutine.
type liveActivities struct {
	chat      *chat.History
	polls     map[string]*livePoll
	pollOrder []string // poll ids, oldest first
	att       attendanceLog
	video     videoState

	// The recent public chat history, encoded once for the students who
	// join while the chat stays the same (chatVersion counts its changes).
	publicRecent   []byte
	publicRecentAt int64
	chatVersion    int64
	privateSenders map[string]bool // users with a private message in the chat
}

func (s *Session) loadActivities(ctx context.Context) {
	cfg := s.reg.act.cfg
	a := &liveActivities{
		chat:  chat.NewHistory(cfg.ChatHistory),
		polls: make(map[string]*livePoll),
		att:   newAttendanceLog(),

		privateSenders: map[string]bool{},
	}
	s.act = a
	st := s.reg.act.store
	last, err := st.LastChatSeq(ctx, s.id)
	if err != nil {
		// Sequence numbers must stay above what the store holds; without
		// it, continue from the clock, which is far above any count.
		last = time.Now().UnixMilli()
		s.log.Error("failed to read the chat's last sequence number; continuing from the clock", "err", err)
	} else if last > 0 {
		from := max(last-int64(cfg.ChatHistory), 0)
		msgs, err := st.ChatHistory(ctx, s.id, from, cfg.ChatHistory)
		if err != nil {
			s.log.Error("failed to reload chat history", "err", err)
		}
		for _, m := range msgs {
			a.chat.Restore(m)
			if m.To != activities.ToEveryone {
				a.privateSenders[m.User] = true
			}
		}
	}
	// Numbers handed out but lost in a crash before they were written must
	// not be handed out again: a client resuming from one would skip
	// messages. Continue well above the last one stored.
	if last > 0 {
		last += chatSeqMargin
	}
	a.chat.Resume(last)
	if err := s.reloadPolls(ctx); err != nil {
		s.log.Error("failed to reload polls", "err", err)
	}
}

// handleActivity runs an activity frame; false if type is not one.
func (s *Session) handleActivity(m *Member, typ string, payload []byte) bool {
	h, ok := activityHandlers[typ]
	if !ok {
		return false
	}
	if s.act == nil {
		m.conn.Send(wire.NewError(wire.CodeUnsupported, 0, "activities are not enabled on this server").Frame())
		return true
	}
	h(s, m, payload)
	return true
}

// refuseFor sends an error frame answering the client message id for.
func refuseFor(m *Member, code wire.Code, id, format string, args ...any) {
	e := wire.NewError(code, 0, fmt.Sprintf(format, args...))
	e.For = id
	m.conn.Send(e.Frame())
}

// sendActivityState sends a joining member the activities' state, then the chat
// it missed: exactly the messages after since, or the recent history.
func (s *Session) sendActivityState(m *Member, chatSince int64) {
	if s.act == nil {
		return
	}
	a := s.act
	st := map[string]any{
		"type": "session_state",
		"chat": map[string]any{
			"last_seq": a.chat.LastSeq(),
			"locked":   s.settings.ChatLocked,
			"muted":    s.muted[m.User],
		},
		"polls":  s.pollStates(m),
		"video":  s.videoBlock(),
		"screen": s.screen,
	}
	b, _ := json.Marshal(st)
	m.conn.SendInitial(wire.EncodeFrame(wire.TypeApp, b))
	m.conn.SendInitial(s.chatHistoryFrame(m, chatSince, chatSince > 0))
}

// activityRuntime is the registry's side of activities: the store and
// the background writers that keep it off the sessions' hot path.
type activityRuntime struct {
	cfg   ActivityConfig
	store activities.Store
	w     *activityWriters
}

// ErrNoActivityStore is returned by EnableActivities without a store.
var ErrNoActivityStore = errors.New("rooms: activities need a store")

// EnableActivities turns on chat, polls, attendance and video for the
// registry's sessions, kept in st. Call once, before the first Join.
// NewRegistry enables them on its document store already when that store
// keeps activities too.
func (r *Registry) EnableActivities(cfg ActivityConfig, st activities.Store) error {
	if st == nil {
		return ErrNoActivityStore
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	r.act = &activityRuntime{cfg: cfg.withDefaults(), store: st}
	return nil
}

func (r *Registry) startActivities() {
	if r.act != nil {
		r.act.w = newActivityWriters(r.act.store, r.log, r.metrics)
	}
}

func (r *Registry) stopActivities(ctx context.Context) {
	if r.act != nil && r.act.w != nil {
		r.act.w.close(ctx, r.log)
	}
}
