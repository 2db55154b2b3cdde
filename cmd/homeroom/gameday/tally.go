package gameday

import (
	"maps"
	"sync"
)

// tally counts occurrences by name (error codes, close codes, dial
// failures). They are rare, so a mutex is cheap enough.
type tally struct {
	mu sync.Mutex
	m  map[string]int
}

// add counts one more name and returns its new count.
func (t *tally) add(name string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = make(map[string]int)
	}
	t.m[name]++
	return t.m[name]
}

// snapshot returns a copy of the counts; never nil, so reports show {}.
func (t *tally) snapshot() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.m))
	maps.Copy(out, t.m)
	return out
}
