package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeBlocks returns the ```sh blocks of a README section, in order.
func readmeBlocks(t *testing.T, readme, heading string) []string {
	t.Helper()
	var blocks []string
	section := readmeSection(t, readme, heading)
	for {
		i := strings.Index(section, "```sh\n")
		if i < 0 {
			return blocks
		}
		section = section[i+len("```sh\n"):]
		j := strings.Index(section, "```\n")
		if j < 0 {
			t.Fatalf("%s: a ```sh block is not closed", heading)
		}
		blocks = append(blocks, section[:j])
		section = section[j:]
	}
}

// needTool finds a command the README's blocks use: missing, the test skips on a
// developer's machine and fails under CI=true.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// The README's quick start works as written: the built binary started with --demo
// on a new database prints a key; with it exported as WEAKLINK_KEY, every sh block
// of "Try the demo" and of "Answering an assessment" runs in order in one bash -e
// session, as a reader would paste them into one terminal, and every request they
// send answers 2xx (curl runs through a wrapper that reports each status). Ids come
// from the blocks' own commands. Only the service's address is substituted, since
// the test cannot assume port 8080 is free.
func TestREADMEDemoBlocksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bash, curl := needTool(t, "bash"), needTool(t, "curl")
	goCmd := needTool(t, "go")
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	var blocks []string
	for _, h := range []string{"## Try the demo", "## Answering an assessment"} {
		bs := readmeBlocks(t, readme, h)
		if len(bs) == 0 {
			t.Fatalf("%s has no sh block", h)
		}
		blocks = append(blocks, bs...)
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "weaklink")
	build := exec.Command(goCmd, "build", "-o", bin, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// The service, as the quick start starts it, on any free port.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", "127.0.0.1:0")
	srv.Dir = dir
	srv.Env = append(environWithoutWeaklink(), "WEAKLINK_SQLITE_PATH="+filepath.Join(dir, "weaklink.db"),
		"WEAKLINK_LOG_FORMAT=json", "WEAKLINK_LOG_LEVEL=info")
	srv.Cancel = func() error { return srv.Process.Signal(syscall.SIGTERM) }
	srv.WaitDelay = 30 * time.Second
	stderr, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = srv.Wait()
	}()
	var printed strings.Builder
	addr, key := "", ""
	lines := bufio.NewScanner(stderr)
	for addr == "" && lines.Scan() {
		line := lines.Text()
		printed.WriteString(line + "\n")
		if m := regexp.MustCompile(`^\s*export WEAKLINK_KEY=(wl_[A-Za-z0-9_-]{43})$`).FindStringSubmatch(line); m != nil {
			key = m[1]
		}
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "weaklink listening" {
			addr = rec.Addr
		}
	}
	if addr == "" || key == "" {
		t.Fatalf("serve --demo printed no key or address:\n%s", printed.String())
	}
	go func() { // keep draining the log so the service never blocks on it
		for lines.Scan() {
		}
	}()

	// curl through a wrapper that writes each response's status to stderr.
	wrapped := filepath.Join(dir, "bin")
	if err := os.Mkdir(wrapped, 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := fmt.Sprintf("#!/bin/sh\nexec %q -w '%%{stderr}readme-status %%{http_code}\\n' \"$@\"\n", curl)
	if err := os.WriteFile(filepath.Join(wrapped, "curl"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for i, b := range blocks {
		fmt.Fprintf(&script, "echo 'readme-block %d' >&2\n%s\n", i, strings.ReplaceAll(b, "http://localhost:8080", "http://"+addr))
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	run := exec.CommandContext(ctx, bash, "-e", "-c", script.String())
	run.Dir = work
	run.Env = append(environWithoutWeaklink(), "PATH="+wrapped+string(os.PathListSeparator)+os.Getenv("PATH"), "WEAKLINK_KEY="+key)
	var out, errOut bytes.Buffer
	run.Stdout, run.Stderr = &out, &errOut
	runErr := run.Run()

	// Every block sent at least one request, and every request answered 2xx.
	block, sent := -1, map[int]int{}
	for _, line := range strings.Split(errOut.String(), "\n") {
		var n int
		if _, err := fmt.Sscanf(line, "readme-block %d", &n); err == nil {
			block = n
			continue
		}
		if status, ok := strings.CutPrefix(line, "readme-status "); ok {
			sent[block]++
			if !strings.HasPrefix(status, "2") {
				t.Errorf("block %d:\n%s\nanswered %s", block, blocks[block], status)
			}
		}
	}
	if runErr != nil {
		t.Fatalf("the blocks stopped in block %d: %v\n%s\nstdout:\n%s\nstderr:\n%s", block, runErr, blocks[max(block, 0)],
			out.String(), errOut.String())
	}
	for i, b := range blocks {
		if sent[i] == 0 {
			t.Errorf("block %d sent no request:\n%s", i, b)
		}
	}
	if pdf, err := os.ReadFile(filepath.Join(work, "report.pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("report.pdf is not a PDF (%v)", err)
	}
	// The sample output the README shows for the weak links is what the demo answers.
	for _, shown := range []string{`{"items":[{"supplier":{"id":`, `"name":"Ashgrove Print & Post"`, `"inherent":75.7,"posture":null`,
		"624,000 records) but has never been assessed", `"name":"Cobalt IT Services"`, `"posture":29.05`, `{"code":"trails_portfolio"`} {
		if !strings.Contains(readme, strings.TrimPrefix(shown, `{"items":[`)) || !strings.Contains(out.String(), shown) {
			t.Errorf("the README's sample %s is not what the demo answers (or no longer in the README)", shown)
		}
	}
	if !strings.Contains(out.String(), `"status":"approved"`) || !strings.Contains(out.String(), "Quayside Mail") {
		t.Errorf("the walk-through did not end with an approved assessment and the supplier's risk:\n%s", out.String())
	}
}

// environWithoutWeaklink is the environment without the caller's WEAKLINK_
// variables (a test database, a rate limit or an audit key of the developer's own),
// as on a new machine.
func environWithoutWeaklink() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WEAKLINK_") {
			out = append(out, kv)
		}
	}
	return out
}
