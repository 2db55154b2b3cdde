package gameday

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestParseRSSMetric(t *testing.T) {
	text := `# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes_total 1
process_resident_memory_bytes 2.3797760e+07
process_virtual_memory_bytes 1.2e+09
`
	got, err := parseRSSMetric(strings.NewReader(text))
	if err != nil || got != 23797760 {
		t.Errorf("parseRSSMetric = %d, %v; want 23797760", got, err)
	}
	if _, err := parseRSSMetric(strings.NewReader("go_goroutines 5\n")); err == nil {
		t.Error("no error without the metric")
	}
}

func TestParseProcStatus(t *testing.T) {
	st, err := parseProcStatus([]byte("Name:\thomeroom\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t9\n"))
	if err != nil || st.rss != 100<<20 || st.hwm != 200<<20 {
		t.Errorf("parseProcStatus = %+v, %v", st, err)
	}
	if _, err := parseProcStatus([]byte("Name:\tx\n")); err == nil {
		t.Error("no error without VmRSS")
	}
}

func TestRSSMeterProc(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	m := newRSSMeter(os.Getpid(), "")
	if rss := m.current(context.Background()); rss <= 0 {
		t.Errorf("current RSS of this process = %d", rss)
	}
	if peak := m.peakBytes(); peak <= 0 {
		t.Errorf("peak = %d", peak)
	}
}

func TestRSSMeterMetrics(t *testing.T) {
	rss := int64(1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "process_resident_memory_bytes %d\n", rss)
	}))
	defer srv.Close()
	m := newRSSMeter(0, srv.URL+"/metrics")
	ctx := context.Background()
	if got := m.current(ctx); got != 1000 {
		t.Errorf("current = %d", got)
	}
	rss = 5000
	m.current(ctx)
	rss = 2000
	if got := m.current(ctx); got != 2000 {
		t.Errorf("current = %d", got)
	}
	if got := m.peakBytes(); got != 5000 {
		t.Errorf("peak = %d, want 5000", got)
	}
	off := newRSSMeter(0, "-")
	if got := off.current(ctx); got != 0 {
		t.Errorf("disabled meter measured %d", got)
	}
}
