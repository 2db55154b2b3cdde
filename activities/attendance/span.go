package attendance

import (
	"slices"
	"time"
)

// span is a half-open stretch of time [from, to).
type span struct{ from, to time.Time }

func (s span) length() time.Duration { return s.to.Sub(s.from) }

// union sorts spans and merges those that overlap or touch, dropping empty
// ones. Two devices connected at once therefore count once.
func union(spans []span) []span {
	out := make([]span, 0, len(spans))
	for _, s := range spans {
		if s.to.After(s.from) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.from.Compare(b.from) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && !s.from.After(merged[n-1].to) {
			if s.to.After(merged[n-1].to) {
				merged[n-1].to = s.to
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// bridge merges consecutive spans of a union whose gap is shorter than
// grace, and returns the gaps it bridged.
func bridge(u []span, grace time.Duration) (merged, gaps []span) {
	for _, s := range u {
		if n := len(merged); n > 0 && s.from.Sub(merged[n-1].to) < grace {
			gaps = append(gaps, span{merged[n-1].to, s.from})
			merged[n-1].to = s.to
			continue
		}
		merged = append(merged, s)
	}
	return merged, gaps
}

// clip returns the parts of the union u within w.
func clip(u []span, w span) []span {
	var out []span
	for _, s := range u {
		if s.from.Before(w.from) {
			s.from = w.from
		}
		if s.to.After(w.to) {
			s.to = w.to
		}
		if s.to.After(s.from) {
			out = append(out, s)
		}
	}
	return out
}

// intersect returns the overlap of two unions.
func intersect(a, b []span) []span {
	var out []span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		from, to := maxTime(a[i].from, b[j].from), minTime(a[i].to, b[j].to)
		if to.After(from) {
			out = append(out, span{from, to})
		}
		if a[i].to.Before(b[j].to) {
			i++
		} else {
			j++
		}
	}
	return out
}

func total(u []span) time.Duration {
	var d time.Duration
	for _, s := range u {
		d += s.length()
	}
	return d
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
