package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Rate limits for the service under check: low enough that a bounded burst on one
// key meets a 429, high enough that the scenario's own pace rarely does (and a 429
// there is waited out, see scenario.send).
const (
	rateLimit = 20
	rateBurst = 60
)

// service is the product binary on a fresh SQLite file and a free loopback port.
type service struct {
	cmd    *exec.Cmd
	out    *lineLog
	exited chan struct{}
	err    error
	addr   string // host:port from its "weaklink listening" log line
	key    string // the bootstrap admin key it printed
	once   sync.Once
}

var bootstrapKey = regexp.MustCompile(`\b(wl_[A-Za-z0-9_-]{43})\b`)

func startService(ctx context.Context, bin, dir string) (*service, error) {
	s := &service{out: newLineLog(), exited: make(chan struct{})}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(withoutWeaklinkVars(os.Environ()),
		"WEAKLINK_SQLITE_PATH="+filepath.Join(dir, "weaklink.db"),
		"WEAKLINK_DATABASE_URL=",
		"WEAKLINK_LOG_FORMAT=json",
		"WEAKLINK_RATE_LIMIT="+strconv.Itoa(rateLimit),
		"WEAKLINK_RATE_BURST="+strconv.Itoa(rateBurst),
	)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	s.cmd = cmd
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		for _, line := range s.out.snapshot() {
			if m := bootstrapKey.FindStringSubmatch(line); m != nil && s.key == "" && !strings.HasPrefix(line, "{") {
				s.key = m[1]
			}
			var entry struct{ Msg, Addr string }
			if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "weaklink listening" {
				s.addr = entry.Addr
			}
		}
		if s.addr != "" && s.key != "" {
			return s, nil
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("weaklink serve exited (%v):\n%s", s.err, s.out.tail(20))
		case <-ctx.Done():
			s.kill()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	s.kill()
	return nil, fmt.Errorf("weaklink serve printed no key and address within a minute:\n%s", s.out.tail(20))
}

// stop ends the service with SIGTERM and reports lines it logged at level ERROR.
func (s *service) stop() error {
	var err error
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			s.kill()
			err = fmt.Errorf("weaklink serve did not stop within 20 s of SIGTERM")
			return
		}
		var errs []string
		for _, line := range s.out.snapshot() {
			if strings.Contains(line, `"level":"ERROR"`) {
				errs = append(errs, line)
			}
		}
		if len(errs) > 0 {
			err = fmt.Errorf("weaklink logged %d line(s) at level ERROR:\n%s", len(errs), joinLines(errs))
		}
	})
	return err
}

func (s *service) kill() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

func withoutWeaklinkVars(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "WEAKLINK_") {
			kept = append(kept, kv)
		}
	}
	return kept
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lineLog keeps a process's output as lines.
type lineLog struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
}

func newLineLog() *lineLog { return &lineLog{} }

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

func (l *lineLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func (l *lineLog) tail(n int) string {
	lines := l.snapshot()
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return joinLines(lines)
}

func joinLines(lines []string) string { return "  " + strings.Join(lines, "\n  ") }
