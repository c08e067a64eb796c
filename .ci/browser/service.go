package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// readyTimeout bounds the wait for `serve --demo` to load the demo and listen.
const readyTimeout = 2 * time.Minute

// service is the product binary serving the demo register on a free loopback port.
type service struct {
	cmd     *exec.Cmd
	log     *serviceLog
	exited  chan struct{} // closed when the process has ended
	waitErr error         // its exit status, once exited is closed

	addr       string // host:port it listens on, from its "weaklink listening" log line
	key        string // the demo-admin key it printed
	reportPath string // this quarter's HTML report, path and query
	asOf       string // the day the demo register describes
}

// base is the service's address as a URL.
func (s *service) base() string { return "http://" + s.addr }

// startService runs `bin serve --demo --addr 127.0.0.1:0` on a new SQLite file in
// dir, with JSON logs and none of the caller's WEAKLINK_ variables, and waits until
// it has printed the key and the report's address and logged where it listens.
func startService(ctx context.Context, bin, dir string) (*service, error) {
	s := &service{log: &serviceLog{changed: make(chan struct{}, 1)}, exited: make(chan struct{})}
	cmd := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", "127.0.0.1:0")
	cmd.Env = append(withoutWeaklinkVars(os.Environ()),
		"WEAKLINK_SQLITE_PATH="+filepath.Join(dir, "demo.db"),
		"WEAKLINK_DATABASE_URL=",
		"WEAKLINK_LOG_FORMAT=json",
	)
	cmd.Dir = dir
	cmd.Stdout = s.log
	cmd.Stderr = s.log
	// When ctx ends (the run's deadline, or SIGTERM to the check), the service gets
	// SIGTERM too, and is killed if it has not stopped 10 s later.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve --demo: %w", bin, err)
	}
	s.cmd = cmd
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()

	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	for {
		if s.addr, s.key, s.reportPath, s.asOf = s.log.found(); s.addr != "" && s.key != "" && s.reportPath != "" {
			return s, nil
		}
		select {
		case <-s.log.changed:
		case <-s.exited:
			return s, fmt.Errorf("serve --demo exited before it was ready (%v); its output:\n%s", s.waitErr, s.log.tail(30))
		case <-deadline.C:
			return s, fmt.Errorf("serve --demo printed no key, report address and listening address within %s; its output:\n%s",
				readyTimeout, s.log.tail(30))
		case <-ctx.Done():
			return s, fmt.Errorf("waiting for serve --demo: %w", ctx.Err())
		}
	}
}

// stop sends SIGTERM and waits for the service to exit, at most 20 s; it reports an
// exit that was not clean, and the lines the service logged at level ERROR.
func (s *service) stop() error {
	select {
	case <-s.exited:
		return fmt.Errorf("serve --demo had exited before the end of the check (%v); its output:\n%s", s.waitErr, s.log.tail(30))
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop serve --demo: %w", err)
	}
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("serve --demo did not stop within 20 s of SIGTERM; killed")
	}
	if s.waitErr != nil {
		return fmt.Errorf("serve --demo did not exit cleanly on SIGTERM: %v; its output:\n%s", s.waitErr, s.log.tail(30))
	}
	if errs := s.log.errors(); len(errs) > 0 {
		return fmt.Errorf("serve --demo logged %d line(s) at level ERROR:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	return nil
}

// kill ends the service at once; for a run that has already failed.
func (s *service) kill() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// withoutWeaklinkVars drops the caller's WEAKLINK_ variables, so that a developer's
// settings (a PostgreSQL URL, a rate limit) cannot change what is checked.
func withoutWeaklinkVars(env []string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "WEAKLINK_") {
			kept = append(kept, kv)
		}
	}
	return kept
}

var (
	keyLine    = regexp.MustCompile(`export WEAKLINK_KEY=(wl_[A-Za-z0-9_-]+)`)
	reportLine = regexp.MustCompile(`https?://\S+?(/api/v1/reports/[0-9a-f-]{36}\?format=html)`)
	asOfLine   = regexp.MustCompile(`as of (\d{4}-\d{2}-\d{2})`)
)

// serviceLog is the service's output, read line by line for the demo key, the
// report's address, the listening address and ERROR lines, and kept for the error
// messages.
type serviceLog struct {
	changed chan struct{} // a line was read (capacity 1; a pending signal suffices)

	mu                          sync.Mutex
	partial                     []byte
	lines                       []string
	addr, key, reportPath, asOf string
	errorLines                  []string
}

func (l *serviceLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.line(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	select {
	case l.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

// line reads one line; l.mu is held.
func (l *serviceLog) line(s string) {
	l.lines = append(l.lines, s)
	if strings.HasPrefix(s, "{") {
		var entry struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
			Addr  string `json:"addr"`
		}
		if json.Unmarshal([]byte(s), &entry) == nil {
			if entry.Msg == "weaklink listening" && l.addr == "" {
				l.addr = entry.Addr
			}
			if entry.Level == "ERROR" {
				l.errorLines = append(l.errorLines, s)
			}
		}
		return
	}
	if m := keyLine.FindStringSubmatch(s); m != nil && l.key == "" {
		l.key = m[1]
	}
	// The path is what counts: the check reaches the service at the address it logged.
	if m := reportLine.FindStringSubmatch(s); m != nil && l.reportPath == "" {
		l.reportPath = m[1]
	}
	if m := asOfLine.FindStringSubmatch(s); m != nil && l.asOf == "" {
		l.asOf = m[1]
	}
}

func (l *serviceLog) found() (addr, key, reportPath, asOf string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr, l.key, l.reportPath, l.asOf
}

func (l *serviceLog) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errorLines...)
}

// tail is the last n lines, with the demo key masked.
func (l *serviceLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := l.lines[max(0, len(l.lines)-n):]
	out := make([]string, len(lines))
	for i, s := range lines {
		out[i] = "    " + keyLine.ReplaceAllString(s, "export WEAKLINK_KEY=wl_…")
	}
	return strings.Join(out, "\n")
}
