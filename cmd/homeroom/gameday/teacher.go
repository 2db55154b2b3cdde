package gameday

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/sync/wire"
	"golang.org/x/time/rate"
)

// teacher is the one client that writes: a full client (a replica of the
// document, loaded from the snapshot of a fresh join) that draws strokes
// and sends each as an Automerge change. Its reader goroutine applies what
// the server broadcasts (the roster); the scenario goroutine draws.
type teacher struct {
	*fullClient

	// Owned by the scenario goroutine.
	lastRef uint64
	strokes int
}

// joinTeacher connects the teacher and waits for its initial sync. onApp
// (nil: none) is given every app frame the teacher receives.
func (r *runner) joinTeacher(ctx context.Context, onApp func(now int64, payload []byte)) (*teacher, error) {
	c, err := r.connectFull(ctx, teacherUser(), onApp)
	if err != nil {
		return nil, fmt.Errorf("teacher: %w", err)
	}
	return &teacher{fullClient: c}, nil
}

// stroke returns the teacher's next stroke: 16 points of a random walk.
func (t *teacher) stroke(prefix string) crdt.Stroke {
	t.strokes++
	pts := make([]float64, 0, 32)
	x, y := rand.Float64()*1600, rand.Float64()*900
	for range 16 {
		pts = append(pts, x, y)
		x += rand.Float64()*20 - 10
		y += rand.Float64()*20 - 10
	}
	return crdt.Stroke{
		ID:      fmt.Sprintf("%s-%d", prefix, t.strokes),
		Author:  t.who.id,
		Tool:    crdt.ToolPen,
		Color:   "#1f77b4",
		Width:   2,
		Points:  pts,
		Created: time.Now().UnixMilli(),
	}
}

// drawStrokes adds n strokes, one change each, and returns the change
// chunks, concatenated, and their checksums.
func (t *teacher) drawStrokes(prefix string, n int, chunks []byte, sums []uint32) ([]byte, []uint32, error) {
	err := t.doc.edit(func(d *crdt.Doc) error {
		for range n {
			if err := d.AddStroke(t.stroke(prefix)); err != nil {
				return err
			}
			a, err := d.Commit("gameday stroke")
			if err != nil {
				return err
			}
			for rest := a.Chunks; len(rest) > 0; {
				sum, next, err := nextChecksum(rest)
				if err != nil {
					return fmt.Errorf("own change: %w", err)
				}
				sums, rest = append(sums, sum), next
			}
			chunks = append(chunks, a.Chunks...)
		}
		return nil
	})
	if err != nil {
		return chunks, sums, fmt.Errorf("failed to draw: %w", err)
	}
	return chunks, sums, nil
}

// send writes chunks as one changes frame with the next ref.
func (t *teacher) send(ctx context.Context, chunks []byte) error {
	t.lastRef++
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := t.conn.Write(ctx, websocket.MessageBinary, wire.AppendChanges(nil, t.lastRef, chunks)); err != nil {
		return fmt.Errorf("failed to send changes frame %d: %w", t.lastRef, err)
	}
	return nil
}

// limiter paces the teacher's messages below the rate the server
// announced in welcome, keeping half of the burst in reserve.
func (t *teacher) limiter() *rate.Limiter {
	perSecond := t.welcome.RatePerSecond
	if perSecond <= 0 {
		perSecond = 50
	}
	return rate.NewLimiter(rate.Limit(perSecond*0.8), max(1, t.welcome.Burst/2))
}

// preload fills the board with n strokes, many changes per frame, and
// waits until the server has acknowledged them all.
func (t *teacher) preload(ctx context.Context, n int) error {
	maxMsg := t.welcome.MaxMessageBytes
	if maxMsg <= 0 {
		maxMsg = 1 << 20
	}
	batchBytes := min(256<<10, maxMsg/2)
	lim := t.limiter()
	var chunks []byte
	var err error
	for drawn := 0; drawn < n; {
		chunks = chunks[:0]
		for drawn < n && len(chunks) < batchBytes-4096 {
			if chunks, _, err = t.drawStrokes("pre", 1, chunks, nil); err != nil {
				return err
			}
			drawn++
		}
		if err := lim.Wait(ctx); err != nil {
			return err
		}
		if err := t.send(ctx, chunks); err != nil {
			return err
		}
	}
	if !t.waitAnswered(ctx, t.r.cfg.JoinTimeout) {
		return fmt.Errorf("preload: %d of %d frames unanswered after %s", int64(t.lastRef)-t.answered.Load(), t.lastRef, t.r.cfg.JoinTimeout)
	}
	if k := t.rejected.Load(); k > 0 {
		return fmt.Errorf("preload: %d frames rejected", k)
	}
	return nil
}

// draw sends rate changes per second for d, one stroke per change,
// recording each change's send time. Changes due together (a rate above
// what the server allows per message) share a frame. It returns how many
// changes were sent.
func (t *teacher) draw(ctx context.Context, perSecond float64, d time.Duration) (int, error) {
	total := int(perSecond*d.Seconds() + 0.5)
	interval := time.Duration(float64(time.Second) / perSecond)
	if msgRate := float64(t.limiter().Limit()); msgRate > 0 {
		interval = max(interval, time.Duration(float64(time.Second)/msgRate))
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	start := time.Now()
	var chunks []byte
	var sums []uint32
	sent := 0
	for sent < total {
		due := min(total, int(time.Since(start).Seconds()*perSecond)+1)
		if n := due - sent; n > 0 {
			var err error
			chunks, sums, err = t.drawStrokes("t", n, chunks[:0], sums[:0])
			if err != nil {
				return sent, err
			}
			at := t.r.since()
			for _, sum := range sums {
				if !t.r.sent.record(sum, at) {
					t.r.problem("change checksum %08x recorded twice or table full", sum)
				}
			}
			if err := t.send(ctx, chunks); err != nil {
				return sent, err
			}
			sent += n
			t.r.changesSent.Store(int64(sent))
		}
		select {
		case <-tick.C:
		case <-t.done:
			return sent, errors.New("teacher connection ended while drawing")
		case <-ctx.Done():
			return sent, ctx.Err()
		}
	}
	return sent, nil
}

// waitAnswered waits until every changes frame sent has been acknowledged
// or rejected.
func (t *teacher) waitAnswered(ctx context.Context, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for t.answered.Load() < int64(t.lastRef) {
		if time.Now().After(deadline) || sleep(ctx, 20*time.Millisecond) != nil {
			return false
		}
		select {
		case <-t.done:
			return t.answered.Load() >= int64(t.lastRef)
		default:
		}
	}
	return true
}
