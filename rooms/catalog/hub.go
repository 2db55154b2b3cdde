package catalog

import "sync"

// hub fans events out to subscribers without ever blocking the writer.
// Each subscriber's channel has size+1 slots: size for events and one kept
// free for the Resync that tells it it lost some.
type hub struct {
	size int

	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	ch chan Event
	// lost is set when an event was dropped and a Resync queued; it is
	// cleared once the subscriber has room again.
	lost bool
}

func (h *hub) subscribe() (<-chan Event, func()) {
	s := &subscriber{ch: make(chan Event, h.size+1)}
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

// publish delivers e to every subscriber that has room. Only publish sends
// on the channels, under h.mu, so the free slot is always there for the
// Resync: while lost is clear a channel holds at most size events.
func (h *hub) publish(e Event) {
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
			case s.ch <- Event{Kind: Resync}:
			default: // cannot happen; never block a writer
			}
		}
	}
}
