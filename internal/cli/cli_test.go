package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/testdb"
)

// spec is openapi.yaml, as main embeds it.
var spec = func() []byte {
	b, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		panic(err)
	}
	return b
}()

// cli runs commands against one SQLite file, as an operator would.
type cli struct {
	t   *testing.T
	env map[string]string
	now func() time.Time // the register's clock; nil: the system clock
}

// at stops the clock of the commands run next at t.
func (c *cli) at(t time.Time) { c.now = testdb.NewClock(t).Now }

func newCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"WEAKLINK_SQLITE_PATH": filepath.Join(t.TempDir(), "weaklink.db"), "WEAKLINK_LOG_LEVEL": "warn"}}
}

// newMigratedCLI is newCLI on a database that `migrate up` has created.
func newMigratedCLI(t *testing.T) *cli {
	c := newCLI(t)
	if code, _, errOut := c.run("migrate", "up"); code != 0 {
		t.Fatalf("migrate up: exit %d: %s", code, errOut)
	}
	return c
}

func (c *cli) getenv(k string) string { return c.env[k] }

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = c.runWith(context.Background(), &out, &errb, args...)
	return code, out.String(), errb.String()
}

func (c *cli) runWith(ctx context.Context, stdout, stderr io.Writer, args ...string) int {
	return Program{Version: "1.2.3-test", Spec: spec, Now: c.now}.Run(ctx, args, c.getenv, stdout, stderr)
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

func TestUsageAndVersion(t *testing.T) {
	c := newCLI(t)
	if code, out, _ := c.run("version"); code != 0 || out != "weaklink 1.2.3-test\n" {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := c.run("frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) ||
		!strings.Contains(errOut, "WEAKLINK_DATABASE_URL") {
		t.Fatalf("unknown command: %d %s", code, errOut)
	}
	c.env["WEAKLINK_RATE_LIMIT"] = "lots"
	if code, _, errOut := c.run("migrate", "status"); code != 2 || !strings.Contains(errOut, "WEAKLINK_RATE_LIMIT") {
		t.Fatalf("bad config: %d %s", code, errOut)
	}
	if code, _, errOut := c.run("version"); code != 0 || errOut != "" {
		t.Fatalf("version reads no configuration: %d %s", code, errOut)
	}
}

// Help goes to stdout with exit 0 when asked for; a bare `weaklink` is a usage
// error: the same help on stderr, exit 2.
func TestHelp(t *testing.T) {
	c := newCLI(t)
	_, full, _ := c.run("help")
	if !strings.Contains(full, "weaklink report render ID") || !strings.Contains(full, "WEAKLINK_SCORING_TIERS") ||
		!strings.Contains(full, "Exit codes: 0") {
		t.Fatalf("help:\n%s", full)
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"-help"}} {
		if code, out, errOut := c.run(args...); code != 0 || out != full || errOut != "" {
			t.Errorf("%v: exit %d, stdout equal %v, stderr %q", args, code, out == full, errOut)
		}
	}
	if code, out, errOut := c.run(); code != 2 || out != "" || errOut != full {
		t.Errorf("no arguments: exit %d, stdout %q, stderr equal to help %v", code, out, errOut == full)
	}
	cases := []struct {
		args []string
		want []string // in stdout
	}{
		{[]string{"serve", "-h"}, []string{"weaklink serve [--addr ADDR]", "-addr value", "-no-migrate"}},
		{[]string{"serve", "--help"}, []string{"weaklink serve [--addr ADDR]"}},
		{[]string{"report", "--help"}, []string{"weaklink report generate", "weaklink report render"}},
		{[]string{"report", "render", "-h"}, []string{"weaklink report render ID", "-format string"}},
		{[]string{"report", "render", "ID", "--help"}, []string{"weaklink report render ID"}},
		{[]string{"apikey", "-h"}, []string{"apikey create", "apikey list", "apikey revoke"}},
		{[]string{"migrate", "up", "--help"}, []string{"weaklink migrate up|down|status"}},
		{[]string{"audit", "verify", "-h"}, []string{"weaklink audit verify"}},
		{[]string{"import", "-h"}, []string{"weaklink import FILE", "-dry-run"}},
		{[]string{"export", "--help"}, []string{"-o string"}},
		{[]string{"version", "-h"}, []string{"weaklink version"}},
		{[]string{"help", "report"}, []string{"weaklink report generate", "weaklink report render"}},
		{[]string{"demo", "--help"}, []string{"weaklink demo generate --suppliers N --seed S"}},
	}
	for _, tc := range cases {
		code, out, errOut := c.run(tc.args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	if code, _, errOut := c.run("help", "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("help of an unknown command: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(c.env["WEAKLINK_SQLITE_PATH"]); err == nil {
		t.Error("help created a database file")
	}
}

// The README's "Commands" block is the usage part of `weaklink help`, and its
// "Configuration" table lists exactly config.Vars with their defaults.
func TestREADMEMatchesHelp(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	block := readmeSection(t, readme, "## Commands")
	start := strings.Index(block, "```\n")
	end := strings.Index(block[start+4:], "```")
	if start < 0 || end < 0 {
		t.Fatal(`no fenced block under "## Commands"`)
	}
	fenced := strings.TrimSpace(block[start+4 : start+4+end])

	_, help, _ := newCLI(t).run("help")
	paras := strings.Split(help, "\n\n")
	var usagePart string
	for i, p := range paras {
		if p == "Commands:" && i+1 < len(paras) {
			usagePart = strings.TrimSpace(paras[i+1])
		}
	}
	if usagePart == "" || fenced != usagePart {
		t.Errorf("README's Commands block differs from `weaklink help`; want:\n%s\n\ngot:\n%s", usagePart, fenced)
	}

	var rows []string
	for _, line := range strings.Split(readmeSection(t, readme, "## Configuration"), "\n") {
		if strings.HasPrefix(line, "| `WEAKLINK_") {
			cells := strings.Split(line, "|")
			rows = append(rows, strings.TrimSpace(cells[1])+" "+strings.TrimSpace(cells[2]))
		}
	}
	var want []string
	for _, v := range config.Vars {
		def := "(empty)"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		want = append(want, "`"+v.Name+"` "+def)
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("README's Configuration table (name, default):\n%s\n\nconfig.Vars:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}

// readmeSection returns the text from heading to the next heading of its level.
func readmeSection(t *testing.T, readme, heading string) string {
	t.Helper()
	i := strings.Index(readme, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	rest := readme[i+len(heading)+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// Every command that reads the configuration refuses a contradictory one with exit
// 2 before it opens a database; help and version read none.
func TestContradictoryConfigurationExits2(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_SCORING_WEAK_BELOW"] = "80" // above WEAKLINK_SCORING_STRONG_FROM (75)
	cases := append([][]string{{"serve"}, {"migrate", "up"}, {"migrate", "status"}, {"migrate", "down"},
		{"demo", "generate", "--suppliers", "20", "--seed", "1"}}, commandsThatNeedACurrentSchema(t)...)
	for _, args := range cases {
		code, _, errOut := c.run(args...)
		if code != 2 || !strings.Contains(errOut, "configuration: WEAKLINK_SCORING_WEAK_BELOW (80) must be below WEAKLINK_SCORING_STRONG_FROM (75)") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	if _, err := os.Stat(c.env["WEAKLINK_SQLITE_PATH"]); err == nil {
		t.Error("a refused configuration created the database")
	}
}
