package catalog

import "sync"

// Hub fans events out to subscribers without ever blocking the writer.
// Each subscriber's channel has size+1 slots: size for events and one kept
// free for the Resync that tells it it lost some. Every Catalog
// implementation publishes through one.
type Hub struct {
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

// NewHub returns a hub whose subscribers may fall size events behind
// before they get a Resync instead.
func NewHub(size int) *Hub { return &Hub{size: size} }

// Subscribe returns a channel of events and a function that ends the
// subscription (and closes the channel); it is safe to call twice.
func (h *Hub) Subscribe() (<-chan Event, func()) {
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

// Publish delivers e to every subscriber that has room. Only Publish sends
// on the channels, under h.mu, so the free slot is always there for the
// Resync: while lost is clear a channel holds at most size events.
func (h *Hub) Publish(e Event) {
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
