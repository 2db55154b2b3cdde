package sqlite

import (
	"sync"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// hub fans events out to subscribers without ever blocking the writer; it
// is catalog's memory hub. Each subscriber's channel has size+1 slots: size
// for events and one kept free for the Resync that tells it it lost some.
type hub struct {
	size int

	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	ch   chan catalog.Event
	lost bool // an event was dropped and a Resync queued
}

func (h *hub) subscribe() (<-chan catalog.Event, func()) {
	s := &subscriber{ch: make(chan catalog.Event, h.size+1)}
	h.mu.Lock()
	if h.subs == nil {
		h.subs = make(map[*subscriber]struct{})
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()

	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, s)
			h.mu.Unlock()
			close(s.ch)
		})
	}
}

// publish delivers e to every subscriber that has room, or queues one
// Resync for a subscriber that has none.
func (h *hub) publish(e catalog.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if len(s.ch) < h.size {
			s.lost = false
			s.ch <- e
			continue
		}
		if !s.lost {
			s.lost = true
			select {
			case s.ch <- catalog.Event{Kind: catalog.Resync}:
			default: // cannot happen; never block a writer
			}
		}
	}
}
