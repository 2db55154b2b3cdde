package rooms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/batch"
)

// chatWrite is one change to a chat transcript: a new message, or the
// deletion of one.
type chatWrite struct {
	msg     activities.ChatMessage
	del     *chatDeletion
	session string // of del
}

type chatDeletion struct {
	seq int64
	by  string
	at  time.Time
}

// activityWriters keep activities off the sessions' hot path: chat,
// events and connection intervals go through bounded queues written in
// batches; poll answers through a group committer, acknowledged only once
// committed. A database outage fills the queues up to their bounds; what
// is dropped beyond them is counted (homeroom_batch_items_dropped_total)
// and logged. docs/activities.md describes the trade.
type activityWriters struct {
	chats     *batch.Writer[chatWrite]
	events    *batch.Writer[activities.Event]
	intervals *batch.Writer[activities.Interval]
	answers   *batch.Committer[activities.Submission, activities.SubmitResult]
}

func newActivityWriters(st activities.Store, log *slog.Logger, m *Metrics) *activityWriters {
	bm := m.batchMetrics()
	cfg := func(name string) batch.Config {
		return batch.Config{Name: name, Logger: log, Metrics: bm}
	}
	w := &activityWriters{}
	var err error
	w.chats, err = batch.NewWriter(cfg("chat"), func(ctx context.Context, items []chatWrite) error {
		return writeChat(ctx, st, items)
	})
	if err == nil {
		w.events, err = batch.NewWriter(cfg("events"), st.AppendEvents)
	}
	if err == nil {
		w.intervals, err = batch.NewWriter(cfg("intervals"), st.AppendIntervals)
	}
	if err == nil {
		c := cfg("poll_answers")
		c.MaxBatch = 256
		w.answers, err = batch.NewCommitter(c, st.SubmitAnswers)
	}
	if err != nil {
		panic(fmt.Sprintf("rooms: activity writer config: %v", err)) // fixed, valid configs
	}
	w.chats.Start()
	w.events.Start()
	w.intervals.Start()
	w.answers.Start()
	return w
}

// writeChat writes a batch of chat changes in order: runs of new messages
// in one call, deletions one by one after the messages they follow.
func writeChat(ctx context.Context, st activities.Store, items []chatWrite) error {
	var run []activities.ChatMessage
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		err := st.AppendChat(ctx, run)
		run = run[:0]
		return err
	}
	for _, it := range items {
		if it.del == nil {
			run = append(run, it.msg)
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		if err := st.DeleteChat(ctx, it.session, it.del.seq, it.del.by, it.del.at); err != nil {
			return err
		}
	}
	return flush()
}

func (w *activityWriters) chat(c chatWrite)                { w.chats.Add(c) }
func (w *activityWriters) event(ev activities.Event)       { w.events.Add(ev) }
func (w *activityWriters) interval(iv activities.Interval) { w.intervals.Add(iv) }

// flush waits until the connections and events queued so far are
// written (what the final attendance reads), or ctx ends.
func (w *activityWriters) flush(ctx context.Context) error {
	return errors.Join(w.intervals.Flush(ctx), w.events.Flush(ctx))
}

// close flushes every queue until ctx ends and logs what could not be
// written.
func (w *activityWriters) close(ctx context.Context, log *slog.Logger) {
	type closer interface {
		Close(context.Context) (int, error)
	}
	for name, c := range map[string]closer{"poll answers": w.answers, "chat": w.chats, "events": w.events, "intervals": w.intervals} {
		if lost, err := c.Close(ctx); lost > 0 || err != nil && !errors.Is(err, batch.ErrClosed) {
			log.Error("activity writes lost at shutdown", "queue", name, "lost", lost, "err", err)
		}
	}
}
