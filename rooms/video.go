package rooms

import (
	"encoding/json"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// videoErrorCodes are the video error codes counted under their own name
// in homeroom_video_errors_total; any other code a client sends counts as
// "other" there (a metric label must not take whatever a client sends),
// and is kept as it was sent in the session's events.
var videoErrorCodes = map[string]bool{
	"join_failed": true, "no_audio": true, "no_video": true, "network": true,
	"permission_denied": true, "blocked": true, "other": true,
}

func videoErrorLabel(code string) string {
	if videoErrorCodes[code] {
		return code
	}
	return "other"
}

// videoState is what a session tracks of its video provider: recent
// errors reported by clients, and whether everyone was sent the fallback.
type videoState struct {
	errors   map[string]time.Time // user → their latest error report
	fallback bool
}

// videoBlock is the session's video block as clients receive it.
func (s *Session) videoBlock() map[string]any {
	return map[string]any{
		"provider":      s.video.Provider,
		"join_url":      s.video.JoinURL,
		"fallback_url":  s.video.FallbackURL,
		"recording_url": s.video.RecordingURL,
		"fallback":      s.act != nil && s.act.video.fallback,
	}
}

// videoError counts a client's report that the provider failed. When the
// share of connected participants with a recent error passes the
// threshold, everyone is sent the fallback link.
func (s *Session) videoError(m *Member, payload []byte) {
	var req struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(payload, &req); err != nil || !printableCode(req.Code) {
		refuseFor(m, wire.CodeBadFrame, "", "video_error needs a code of 1 to 64 printable ASCII characters")
		return
	}
	now := time.Now()
	v := &s.act.video
	if v.errors == nil {
		v.errors = map[string]time.Time{}
	}
	v.errors[m.User] = now
	s.metrics.videoError(videoErrorLabel(req.Code))
	s.record(activities.Event{Session: s.id, User: m.User, Kind: activities.EventVideoError, At: now, Detail: req.Code})
	cfg := s.reg.act.cfg
	recent := 0
	for u, at := range v.errors {
		if now.Sub(at) > cfg.VideoErrorWindow {
			delete(v.errors, u)
			continue
		}
		recent++
	}
	present := max(len(s.roster.conns), 1)
	rate := float64(recent) / float64(present)
	s.metrics.videoErrorRate(s.id, rate)
	if !v.fallback && recent >= cfg.VideoErrorMinimum && rate >= cfg.VideoErrorThreshold {
		s.switchVideo("error_rate")
	}
}

// videoSwitch lets a teacher send everyone to the fallback link.
func (s *Session) videoSwitch(m *Member, _ []byte) {
	if !Allowed(m.role, ActSwitchVideo) {
		refuseFor(m, wire.CodeForbidden, "", "a %s may not switch the video", m.role)
		return
	}
	s.switchVideo("teacher")
	s.audit(m, "video.switch", "")
}

func (s *Session) switchVideo(reason string) {
	url := s.video.FallbackURL
	if url == "" {
		s.log.Warn("video is failing but the session has no fallback link", "reason", reason)
		return
	}
	s.act.video.fallback = true
	b, _ := json.Marshal(map[string]any{"type": "video_fallback", "url": url, "reason": reason})
	frame := wire.EncodeFrame(wire.TypeApp, b)
	now := time.Now()
	for _, o := range s.members {
		o.conn.SendAt(frame, now)
	}
}

// setVideo adopts a changed video block from the catalog.
func (s *Session) setVideo(v catalog.Video) { s.video = v }

// printableCode reports whether code is 1 to 64 printable ASCII bytes.
func printableCode(code string) bool {
	return code != "" && len(code) <= activities.MaxClientID && activities.PrintableASCII(code)
}
