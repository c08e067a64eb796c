package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

//go:embed wrk.lua
var wrkScript []byte

// wrkOutcome is the line wrk.lua's done() prints.
type wrkOutcome struct {
	Requests   int            `json:"requests"`
	DurationUS float64        `json:"duration_us"`
	P50US      float64        `json:"p50_us"`
	P99US      float64        `json:"p99_us"`
	MaxUS      float64        `json:"max_us"`
	Errors     map[string]int `json:"errors"`
	Statuses   map[string]int `json:"statuses"`
}

// runWrk runs wrk against one URL (a path with {id} takes a random supplier id from
// -ids for each request) and appends its result. Warm-up runs (-record=false) only
// check that the request answers.
func runWrk(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("wrk", flag.ContinueOnError)
	var l labels
	registerLabels(fs, &l)
	target := fs.String("url", "", "http://127.0.0.1:PORT/path, {id} replaced by a random supplier id")
	ids := fs.String("ids", "", "file of supplier ids, one a line")
	duration := fs.Duration("duration", 10*time.Second, "how long to run")
	threads := fs.Int("threads", 2, "wrk threads (at most the connections)")
	kind := fs.String("kind", "read", "read or ceiling")
	keyEnv := fs.String("key-env", "WEAKLINK_LOAD_KEY", "environment variable holding the API key (sent as a bearer token when set)")
	record := fs.Bool("record", true, "append the result (false: a warm-up)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(strings.ReplaceAll(*target, "{id}", "x"))
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("-url must be http://127.0.0.1:PORT/…, not %q", *target)
	}
	if err := loopbackOnly(u.Host); err != nil {
		return err
	}
	if l.c < 1 || *duration <= 0 || *duration > 10*time.Minute {
		return errors.New("-c must be at least 1 and -duration between 0 and 10m")
	}
	dir, err := os.MkdirTemp("", "weaklink-wrk")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "wrk.lua")
	if err := os.WriteFile(script, wrkScript, 0o644); err != nil {
		return err
	}
	base := u.Scheme + "://" + u.Host
	path := strings.TrimPrefix(*target, base)
	t := min(*threads, l.c)
	secs := max(1, int(duration.Round(time.Second)/time.Second))
	cctx, cancel := context.WithTimeout(ctx, *duration+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, "wrk", "-t", fmt.Sprint(t), "-c", fmt.Sprint(l.c), "-d", fmt.Sprintf("%ds", secs),
		"--timeout", "30s", "-s", script, base, "--", *ids, path)
	env := os.Environ()
	env = append(env, "WRK_KEY="+os.Getenv(*keyEnv))
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("wrk: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var o wrkOutcome
	found := false
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "WRKRESULT "); ok {
			if err := json.Unmarshal([]byte(line), &o); err != nil {
				return fmt.Errorf("wrk result: %w", err)
			}
			found = true
		}
	}
	if !found {
		return fmt.Errorf("wrk printed no result: %s", stdout.String())
	}
	r := Result{Database: l.database, N: l.n, C: l.c, Kind: *kind, Name: l.name,
		Requests: o.Requests, Seconds: o.DurationUS / 1e6, P50: o.P50US / 1000, P99: o.P99US / 1000, Max: o.MaxUS / 1000,
		Statuses: o.Statuses}
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	for _, n := range o.Errors {
		r.Errors += n
	}
	// wrk counts a non-2xx/3xx answer as an error too; those are in Statuses already.
	r.Errors -= o.Errors["status"]
	if l.rssPID > 0 {
		if r.RSS, err = peakRSS(l.rssPID); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%-10s %-8s n=%-6d c=%-3d %-52s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %s\n",
		*kind, l.database, l.n, l.c, l.name, r.RPS, r.P50, r.P99, r.NonOKText())
	if !*record {
		// A warm-up may end before a slow request completes; it only must not fail.
		if r.NonOK() > 0 {
			return fmt.Errorf("warm-up of %s: non-2xx %s", l.name, r.NonOKText())
		}
		return nil
	}
	return appendResult(l.results, r)
}

// registerLabels adds the flags that label a recorded result.
func registerLabels(fs *flag.FlagSet, l *labels) {
	fs.StringVar(&l.results, "results", "results.jsonl", "results file to append to")
	fs.StringVar(&l.database, "database", "", "sqlite or postgres (a label)")
	fs.IntVar(&l.n, "n", 0, "suppliers in the register (a label)")
	fs.IntVar(&l.c, "c", 1, "connections")
	fs.StringVar(&l.name, "name", "", "the request's name in the tables")
	fs.IntVar(&l.rssPID, "rss-pid", 0, "process whose peak resident set (VmHWM) to record")
}

// runRSS prints a process's peak resident set in MiB.
func runRSS(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("rss", flag.ContinueOnError)
	pid := fs.Int("pid", 0, "process id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v, err := peakRSS(*pid)
	if err != nil {
		return err
	}
	fmt.Printf("%.1f\n", v)
	return nil
}
