package batch

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff draws retry waits with exponential backoff and full jitter: the
// n-th wait is uniform in [0, min(max, min·2ⁿ)], so writers retrying
// against the same recovering database spread out instead of arriving
// together.
type backoff struct {
	min, max time.Duration
	ceil     time.Duration // current ceiling; 0 before the first wait
}

func (b *backoff) next() time.Duration {
	if b.ceil == 0 {
		b.ceil = b.min
	} else if b.ceil < b.max {
		b.ceil = min(2*b.ceil, b.max)
	}
	if b.ceil <= 0 {
		return 0
	}
	return rand.N(b.ceil + 1)
}

// sleep waits d or until ctx ends, and reports whether it waited all of d.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
