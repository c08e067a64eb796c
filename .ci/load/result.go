package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Result is one measurement, one line of the results file.
type Result struct {
	Seq      int    `json:"seq"`      // order within the run: the ceilings beside a request are its neighbours
	Database string `json:"database"` // sqlite or postgres
	N        int    `json:"n"`        // suppliers in the register
	C        int    `json:"c"`        // connections (0 for sequential work)
	Kind     string `json:"kind"`     // read, ceiling, mixed, sequential, report
	Name     string `json:"name"`     // the request, as the tables print it

	Requests int            `json:"requests"`
	Seconds  float64        `json:"seconds"`
	RPS      float64        `json:"rps"`
	P50      float64        `json:"p50_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Statuses map[string]int `json:"statuses"`         // answers by status
	Errors   int            `json:"errors,omitempty"` // connect, read, write errors and timeouts
	RSS      float64        `json:"rss_mib,omitempty"`

	// Parts breaks a mixed workload down by operation.
	Parts []Part `json:"parts,omitempty"`
}

// Part is one operation's share of a mixed workload.
type Part struct {
	Name     string         `json:"name"`
	Requests int            `json:"requests"`
	P50      float64        `json:"p50_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Statuses map[string]int `json:"statuses"`
}

// NonOK is the number of answers whose status is not 2xx, plus transport errors.
func (r Result) NonOK() int {
	n := r.Errors
	for s, c := range r.Statuses {
		if !strings.HasPrefix(s, "2") {
			n += c
		}
	}
	return n
}

// NonOKText lists the non-2xx answers by status ("—" when there are none).
func (r Result) NonOKText() string {
	var parts []string
	keys := make([]string, 0, len(r.Statuses))
	for s := range r.Statuses {
		keys = append(keys, s)
	}
	sort.Strings(keys)
	for _, s := range keys {
		if !strings.HasPrefix(s, "2") && r.Statuses[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d × %s", r.Statuses[s], s))
		}
	}
	if r.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d errors", r.Errors))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// labels are the flags every recording command takes.
type labels struct {
	results  string
	database string
	n, c     int
	name     string
	rssPID   int
}

// appendResult gives r the next sequence number of the results file and appends it.
func appendResult(path string, r Result) error {
	existing, err := readResults(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	r.Seq = len(existing) + 1
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("append result: %w", err)
	}
	defer f.Close()
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}

// readResults reads every result of a results file, in order.
func readResults(path string) ([]Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("read results: %w", err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// peakRSS reads VmHWM, the peak resident set, of a process, in MiB.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return 0, err
			}
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}

// latencies collects durations and answers percentiles.
type latencies []time.Duration

func (l latencies) percentile(p float64) float64 {
	if len(l) == 0 {
		return 0
	}
	s := append(latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	if i < 0 {
		i = 0
	}
	return ms(s[i])
}

func (l latencies) max() float64 {
	var m time.Duration
	for _, d := range l {
		m = max(m, d)
	}
	return ms(m)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
