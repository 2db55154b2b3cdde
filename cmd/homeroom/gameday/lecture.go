package gameday

import (
	"context"
)

// runLecture is the lecture scenario: a teacher fills the board
// (optionally), the students join, the teacher draws at a steady rate
// while they watch, and at the end everybody's document must be the
// server's.
//
//	teacher → preload → settle, RSS → students join → settle, RSS →
//	draw → quiet (all delivered) → verify (fresh client) → close
func runLecture(ctx context.Context, r *runner) error {
	cfg := r.cfg

	r.setPhase("teacher")
	t, err := r.joinTeacher(ctx, nil)
	if err != nil {
		r.problem("%v", err)
	}
	if t != nil && cfg.PreloadStrokes > 0 && ctx.Err() == nil {
		r.setPhase("preload")
		if err := t.preload(ctx, cfg.PreloadStrokes); err != nil {
			r.problem("%v", err)
		} else {
			r.mu.Lock()
			r.preloaded = cfg.PreloadStrokes
			r.mu.Unlock()
		}
	}

	r.joinMeasured(ctx)

	if t != nil && ctx.Err() == nil {
		r.setPhase("draw")
		if _, err := t.draw(ctx, cfg.DrawRate, cfg.Duration); err != nil {
			r.problem("drawing stopped: %v", err)
		}
		r.setPhase("quiet")
		if !t.waitAnswered(ctx, cfg.QuietTimeout) {
			r.problem("%d teacher changes frames not acknowledged after %s",
				int64(t.lastRef)-t.answered.Load(), cfg.QuietTimeout)
		}
	}
	if ctx.Err() == nil {
		r.setPhase("quiet")
		r.waitDelivered(ctx, r.changesSent.Load, "teacher changes", cfg.QuietTimeout)
	}
	if ctx.Err() == nil && (t != nil || r.joined.Load() > 0) {
		r.setPhase("verify")
		r.verify(ctx, t)
	}

	r.setPhase("close")
	r.stopStudents()
	if t != nil {
		t.close()
	}
	return ctx.Err()
}
