package gameday

import (
	"math"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]uint32, 100)
	for i := range hundred {
		hundred[i] = uint32(i + 1)
	}
	tests := []struct {
		name   string
		sorted []uint32
		q      float64
		want   uint32
	}{
		{"empty", nil, 0.5, 0},
		{"one sample p50", []uint32{7}, 0.5, 7},
		{"one sample max", []uint32{7}, 1, 7},
		{"q0 is the minimum", hundred, 0, 1},
		{"p50 of 1..100", hundred, 0.50, 50},
		{"p95 of 1..100", hundred, 0.95, 95},
		{"p99 of 1..100", hundred, 0.99, 99},
		{"max of 1..100", hundred, 1, 100},
		{"p50 of four rounds up the rank", []uint32{10, 20, 30, 40}, 0.5, 20},
		{"p51 of four", []uint32{10, 20, 30, 40}, 0.51, 30},
		{"p99 of ten is the max", []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.99, 10},
		{"q above 1 clamps", hundred, 1.5, 100},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.q); got != tt.want {
			t.Errorf("%s: percentile(q=%v) = %d, want %d", tt.name, tt.q, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	// Three students, 1..100 ms spread across them out of order.
	var a, b, c []uint32
	for i := 100; i >= 1; i-- {
		us := uint32(i * 1000)
		switch i % 3 {
		case 0:
			a = append(a, us)
		case 1:
			b = append(b, us)
		default:
			c = append(c, us)
		}
	}
	got := summarize([][]uint32{a, b, nil, c})
	want := Latency{Samples: 100, P50: 50, P95: 95, P99: 99, Max: 100}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Latency{}) {
		t.Errorf("summarize(nil) = %+v, want zero", got)
	}
	if got := summarize([][]uint32{{1500}}); got.P50 != 1.5 || got.Max != 1.5 {
		t.Errorf("1500µs = %+v, want 1.5ms", got)
	}
}

func TestMicros(t *testing.T) {
	for d, want := range map[time.Duration]uint32{
		-time.Second:           0,
		0:                      0,
		1500 * time.Nanosecond: 1,
		3 * time.Millisecond:   3000,
		100 * time.Hour:        math.MaxUint32,
	} {
		if got := micros(d); got != want {
			t.Errorf("micros(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestHistogramBuckets(t *testing.T) {
	values := []uint32{0, 1, 15, 16, 17, 31, 32, 33, 100, 999, 1000, 1 << 20, math.MaxUint32 - 1, math.MaxUint32}
	for _, v := range values {
		i := histIndex(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("histIndex(%d) = %d out of range", v, i)
		}
		if up := histUpper(i); up < uint64(v) {
			t.Errorf("value %d in bucket %d whose upper bound is %d", v, i, up)
		}
		if i > 0 && histUpper(i-1) >= uint64(v) {
			t.Errorf("value %d in bucket %d but bucket %d reaches %d", v, i, i-1, histUpper(i-1))
		}
		// Resolution: the bucket is at most 1/16 of its values wide.
		if v >= histSub {
			if width := histUpper(i) - histUpper(i-1); float64(width) > float64(v)/histSub+1 {
				t.Errorf("bucket of %d is %d wide", v, width)
			}
		}
	}
}

func TestHistogramQuantile(t *testing.T) {
	var h histogram
	if q, n := h.quantile(0.99); q != 0 || n != 0 {
		t.Errorf("empty histogram quantile = %d, %d", q, n)
	}
	for i := 1; i <= 1000; i++ {
		h.observe(uint32(i * 100)) // 0.1 .. 100 ms
	}
	q, n := h.quantile(0.99)
	if n != 1000 {
		t.Errorf("count %d, want 1000", n)
	}
	if exact := 99000.0; float64(q) < exact || float64(q) > exact*1.07 {
		t.Errorf("p99 ≈ %dµs, want within 7%% above %vµs", q, exact)
	}
}
