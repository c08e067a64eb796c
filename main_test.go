package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// cli runs commands against one SQLite file, as an operator would.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"WEAKLINK_SQLITE_PATH": filepath.Join(t.TempDir(), "weaklink.db"), "WEAKLINK_LOG_LEVEL": "warn"}}
}

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return c.env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAPIKeyCreatePrintsOnlyTheSecret(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("apikey", "create", "--role", "editor", "--name", "procurement-scripts")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`^wl_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("stdout %q, want the secret alone", out)
	}
	code, list, _ := c.run("apikey", "list")
	if code != 0 || !strings.Contains(list, "procurement-scripts") || strings.Contains(list, strings.TrimSpace(out)) {
		t.Fatalf("list (exit %d):\n%s", code, list)
	}
	if code, _, errOut := c.run("apikey", "create", "--role", "owner", "--name", "x"); code != 1 || !strings.Contains(errOut, "role") {
		t.Fatalf("bad role: exit %d, %s", code, errOut)
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	c := newCLI(t)
	for _, role := range []string{"admin", "viewer"} {
		if code, _, errOut := c.run("apikey", "create", "--role", role, "--name", role); code != 0 {
			t.Fatal(errOut)
		}
	}
	code, out, _ := c.run("audit", "verify")
	if code != 0 || !strings.Contains(out, "intact: 2 events") {
		t.Fatalf("verify (exit %d): %s", code, out)
	}
	st, err := store.Open(context.Background(), store.Options{SQLitePath: c.env["WEAKLINK_SQLITE_PATH"]})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	testdb.Exec(t, st, "DROP TRIGGER audit_events_no_update", "UPDATE audit_events SET actor_name = 'nobody' WHERE seq = 1")
	code, _, errOut := c.run("audit", "verify")
	if code == 0 || !strings.Contains(errOut, "event 1") {
		t.Fatalf("tampered chain: exit %d, %s", code, errOut)
	}
}

func TestMigrateCommands(t *testing.T) {
	c := newCLI(t)
	if code, out, _ := c.run("migrate", "up"); code != 0 || !strings.Contains(out, "applied 7 migration(s)") {
		t.Fatalf("up: %d %s", code, out)
	}
	if code, out, _ := c.run("migrate", "down"); code != 0 || !strings.Contains(out, "rolled back migration 7") {
		t.Fatalf("down: %d %s", code, out)
	}
	code, out, _ := c.run("migrate", "status")
	if code != 0 || !regexp.MustCompile(`6\s+applied`).MatchString(out) || !regexp.MustCompile(`7\s+pending`).MatchString(out) {
		t.Fatalf("status: %d\n%s", code, out)
	}
	if code, _, _ := c.run("migrate", "sideways"); code != 1 {
		t.Fatalf("bad subcommand exit %d", code)
	}
}

// Thresholds that contradict each other stop serve before it listens.
func TestServeRejectsIncoherentScoring(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_SCORING_TIERS"] = "20,40,60" // critical below high
	if code, _, errOut := c.run("serve"); code != 1 || !strings.Contains(errOut, "scoring configuration") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestUsageAndVersion(t *testing.T) {
	c := newCLI(t)
	if code, out, _ := c.run("version"); code != 0 || !strings.HasPrefix(out, "weaklink ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := c.run("frobnicate"); code != 2 || !strings.Contains(errOut, "WEAKLINK_DATABASE_URL") {
		t.Fatalf("unknown command: %d %s", code, errOut)
	}
	c.env["WEAKLINK_RATE_LIMIT"] = "lots"
	if code, _, errOut := c.run("migrate", "status"); code != 2 || !strings.Contains(errOut, "WEAKLINK_RATE_LIMIT") {
		t.Fatalf("bad config: %d %s", code, errOut)
	}
}

// serve starts on SQLite with nothing configured, prints a bootstrap admin key once,
// answers with it, and stops cleanly when its context ends (as on SIGTERM).
func TestServeBootstrapsAndShutsDown(t *testing.T) {
	c := newCLI(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c.env["WEAKLINK_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return c.env[k] }, &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(20 * time.Second)
	var res *http.Response
	for time.Now().Before(deadline) {
		if res, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	secret := regexp.MustCompile(`wl_[A-Za-z0-9_-]{43}`).FindString(errb.String())
	if secret == "" || !strings.Contains(errb.String(), "shown only this once") {
		t.Fatalf("no bootstrap key on stderr:\n%s", errb.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/api-keys", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("bootstrap key rejected: %v %v", res, err)
	}
	if strings.Count(errb.String(), secret) != 1 {
		t.Fatal("the secret appears in the logs")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d after shutdown: %s", code, errb.String())
	}
	// A second start finds the key and prints no new one.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var errb2 syncBuffer
	go func() {
		done <- run(ctx2, []string{"serve"}, func(k string) string { return c.env[k] }, &bytes.Buffer{}, &errb2)
	}()
	for time.Now().Before(deadline) {
		if _, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel2()
	<-done
	if strings.Contains(errb2.String(), "wl_") {
		t.Fatal("a second start printed another key")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestReportCommands(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("report", "generate", "--quarter", "2026-Q1")
	if code != 0 || !strings.Contains(out, "2026-Q1 stored revision 1") {
		t.Fatalf("generate (exit %d): %s %s", code, out, errOut)
	}
	id := out[strings.LastIndex(out, " ")+1 : len(out)-1]
	if code, out, _ := c.run("report", "generate", "--quarter", "2026-Q1"); code != 0 || !strings.Contains(out, "already stored") {
		t.Fatalf("second generate: %d %s", code, out)
	}
	file := filepath.Join(t.TempDir(), "r.pdf")
	if code, _, errOut := c.run("report", "render", id, "--format", "pdf", "-o", file); code != 0 {
		t.Fatalf("render: %s", errOut)
	}
	raw, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(raw, []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}
	if code, _, _ := c.run("report", "render", id, "--format", "docx"); code != 1 {
		t.Fatalf("bad format exit %d", code)
	}
}
