package gameday

import (
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
	"time"
)

// Latency summarises delivery latencies in milliseconds.
type Latency struct {
	// Samples is how many latencies were measured.
	Samples int     `json:"samples"`
	P50     float64 `json:"p50"`
	P95     float64 `json:"p95"`
	P99     float64 `json:"p99"`
	Max     float64 `json:"max"`
}

// micros converts a duration to a latency sample: whole microseconds,
// clamped to what a uint32 holds (71 minutes).
func micros(d time.Duration) uint32 {
	us := d.Microseconds()
	switch {
	case us < 0:
		return 0
	case us > math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(us)
}

// percentile returns the q-quantile (0 ≤ q ≤ 1) of sorted by the
// nearest-rank method: the smallest sample such that at least q of all
// samples are less than or equal to it. It returns 0 for no samples.
func percentile(sorted []uint32, q float64) uint32 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// summarize merges per-student samples (microseconds) into one summary.
func summarize(perStudent [][]uint32) Latency {
	total := 0
	for _, s := range perStudent {
		total += len(s)
	}
	all := make([]uint32, 0, total)
	for _, s := range perStudent {
		all = append(all, s...)
	}
	slices.Sort(all)
	ms := func(us uint32) float64 { return float64(us) / 1000 }
	return Latency{
		Samples: total,
		P50:     ms(percentile(all, 0.50)),
		P95:     ms(percentile(all, 0.95)),
		P99:     ms(percentile(all, 0.99)),
		Max:     ms(percentile(all, 1)),
	}
}

// histogram is a lock-free log-linear histogram of microsecond samples,
// 16 buckets per power of two (about 6% resolution). It serves the
// progress line while students are still writing their exact samples.
type histogram struct {
	counts [histBuckets]atomic.Uint64
}

const (
	histSub     = 16 // buckets per power of two, and the exact range [0, 16)
	histBuckets = histSub * 30
)

func histIndex(v uint32) int {
	if v < histSub {
		return int(v)
	}
	shift := bits.Len32(v) - 5 // v>>shift is in [16, 32)
	return (shift+1)*histSub + int(v>>shift) - histSub
}

// histUpper is the largest value that falls in bucket i.
func histUpper(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	shift := i/histSub - 1
	lo := uint64(i%histSub+histSub) << shift
	return lo + (1 << shift) - 1
}

func (h *histogram) observe(us uint32) {
	h.counts[histIndex(us)].Add(1)
}

// quantile returns an upper bound of the q-quantile, in microseconds, and
// the number of samples; 0, 0 when empty.
func (h *histogram) quantile(q float64) (uint64, uint64) {
	var n uint64
	var counts [histBuckets]uint64
	for i := range h.counts {
		counts[i] = h.counts[i].Load()
		n += counts[i]
	}
	if n == 0 {
		return 0, 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(1, min(rank, n))
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			return histUpper(i), n
		}
	}
	return histUpper(histBuckets - 1), n
}
