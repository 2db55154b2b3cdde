package store

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

// memoryActivities holds what Memory keeps for activities.Store, in the
// canonical form of store/internal/records. The zero value is ready; every
// map is created on first write.
type memoryActivities struct {
	mu         sync.Mutex
	chat       map[string][]activities.ChatMessage // session → messages by Seq
	polls      map[string]activities.Poll          // id → poll
	answers    map[string]map[string]activities.Submission
	results    map[string]activities.Results // poll → results
	events     map[string][]activities.Event // session → events as appended
	intervals  map[string][]activities.Interval
	attendance map[string][]activities.AttendanceRecord // session → records by user
}

// AppendChat implements activities.Store.
func (m *Memory) AppendChat(_ context.Context, msgs []activities.ChatMessage) error {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.chat == nil {
		a.chat = make(map[string][]activities.ChatMessage)
	}
	for _, msg := range msgs {
		list := a.chat[msg.Session]
		i, found := slices.BinarySearchFunc(list, msg.Seq, bySeq)
		if !found {
			a.chat[msg.Session] = slices.Insert(list, i, records.Chat(msg))
		}
	}
	return nil
}

func bySeq(m activities.ChatMessage, seq int64) int { return cmp.Compare(m.Seq, seq) }

// DeleteChat implements activities.Store. Deleting a tombstone again keeps
// the first deletion. Deleting a message that is not stored changes
// nothing and is not an error: there is no text to remove (its write was
// dropped), and a writer retrying the batch would otherwise never finish.
func (m *Memory) DeleteChat(_ context.Context, session string, seq int64, by string, at time.Time) error {
	if at.IsZero() {
		at = time.Now() // a tombstone must read as deleted
	}
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	list := a.chat[session]
	i, found := slices.BinarySearchFunc(list, seq, bySeq)
	if found && !list[i].Deleted() {
		list[i].DeletedAt, list[i].DeletedBy = at, by
		list[i] = records.Chat(list[i])
	}
	return nil
}

// ChatHistory implements activities.Store.
func (m *Memory) ChatHistory(_ context.Context, session string, after int64, limit int) ([]activities.ChatMessage, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	list := a.chat[session]
	i, found := slices.BinarySearchFunc(list, after, bySeq)
	if found {
		i++
	}
	list = list[i:]
	return append([]activities.ChatMessage{}, list[:min(max(limit, 0), len(list))]...), nil
}

// LastChatSeq implements activities.Store.
func (m *Memory) LastChatSeq(_ context.Context, session string) (int64, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	list := a.chat[session]
	if len(list) == 0 {
		return 0, nil
	}
	return list[len(list)-1].Seq, nil
}

// Interface guard.
var _ activities.Store = (*Memory)(nil)
