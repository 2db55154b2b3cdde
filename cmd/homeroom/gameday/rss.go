package gameday

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// rssEvery is how often the meter samples the server's memory.
const rssEvery = 500 * time.Millisecond

// rssMeter measures the server's resident memory: from /proc/PID/status
// when the server runs on this machine and its pid is known, otherwise
// from process_resident_memory_bytes on its Prometheus endpoint. Without
// either, every figure is 0.
type rssMeter struct {
	pid    int
	url    string // "" or "-": none
	client *http.Client
	peak   atomic.Int64
}

func newRSSMeter(pid int, metricsURL string) *rssMeter {
	if metricsURL == "-" {
		metricsURL = ""
	}
	return &rssMeter{pid: pid, url: metricsURL, client: &http.Client{Timeout: 2 * time.Second}}
}

// run samples until ctx is done, keeping the peak.
func (m *rssMeter) run(ctx context.Context) {
	if m.pid == 0 && m.url == "" {
		return
	}
	tick := time.NewTicker(rssEvery)
	defer tick.Stop()
	for {
		m.current(ctx)
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// current returns the server's resident memory now, in bytes, and updates
// the peak; 0 when it cannot be measured.
func (m *rssMeter) current(ctx context.Context) int64 {
	var rss int64
	var err error
	switch {
	case m.pid != 0:
		var st procStatus
		st, err = readProcStatus(m.pid)
		rss = st.rss
		m.raisePeak(st.hwm)
	case m.url != "":
		rss, err = m.scrape(ctx)
	}
	if err != nil {
		return 0
	}
	m.raisePeak(rss)
	return rss
}

// peakBytes returns the highest resident memory seen; with a pid, the
// kernel's high-water mark, which also covers spikes between samples.
func (m *rssMeter) peakBytes() int64 {
	if m.pid != 0 {
		if st, err := readProcStatus(m.pid); err == nil {
			m.raisePeak(st.hwm)
		}
	}
	return m.peak.Load()
}

func (m *rssMeter) raisePeak(v int64) {
	for {
		p := m.peak.Load()
		if v <= p || m.peak.CompareAndSwap(p, v) {
			return
		}
	}
}

// scrape reads process_resident_memory_bytes from the metrics endpoint.
func (m *rssMeter) scrape(ctx context.Context) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("failed to scrape %s: %w", m.url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("failed to scrape %s: %s", m.url, resp.Status)
	}
	return parseRSSMetric(resp.Body)
}

// parseRSSMetric finds process_resident_memory_bytes in Prometheus text
// exposition format.
func parseRSSMetric(r io.Reader) (int64, error) {
	const name = "process_resident_memory_bytes"
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(name)) {
			continue
		}
		rest := line[len(name):]
		if len(rest) > 0 && rest[0] == '{' { // labels
			if end := bytes.IndexByte(rest, '}'); end >= 0 {
				rest = rest[end+1:]
			}
		}
		if len(rest) == 0 || rest[0] != ' ' {
			continue // a longer metric name
		}
		fields := strings.Fields(string(rest))
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return 0, fmt.Errorf("failed to parse %s: %w", name, err)
		}
		return int64(v), nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no %s metric", name)
}

// procStatus is what /proc/PID/status says about memory, in bytes.
type procStatus struct {
	rss int64 // VmRSS
	hwm int64 // VmHWM: peak resident set size
}

func readProcStatus(pid int) (procStatus, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procStatus{}, fmt.Errorf("failed to read server memory: %w", err)
	}
	return parseProcStatus(b)
}

func parseProcStatus(b []byte) (procStatus, error) {
	var st procStatus
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(val) // "123456 kB"
		if len(f) == 0 {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return procStatus{}, fmt.Errorf("failed to parse %s: %w", key, err)
		}
		if key == "VmRSS" {
			st.rss = kb << 10
		} else {
			st.hwm = kb << 10
		}
		found++
	}
	if found < 2 {
		return procStatus{}, fmt.Errorf("no VmRSS/VmHWM in /proc status")
	}
	return st, nil
}
