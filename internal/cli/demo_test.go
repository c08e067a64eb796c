package cli

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/testdb"
)

var demoArgs = []string{"demo", "generate", "--suppliers", "20", "--seed", "3", "--now", "2026-11-02T09:00:00Z"}

// demo generate migrates a database with no tables, fills it, and refuses it the
// second time (it has suppliers now), on SQLite and PostgreSQL.
func TestDemoGenerateMigratesAnEmptyDatabaseOnce(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			c := newCLI(t) // a SQLite file that does not exist yet
			if d == "postgres" {
				c.env["WEAKLINK_DATABASE_URL"] = testdb.Schema(t) // a schema with no tables
			}
			code, out, errOut := c.run(demoArgs...)
			if code != 0 || !strings.Contains(out, "applied 11 migration(s)\n") ||
				!strings.Contains(out, "generated a demo register as of 2026-11-02T09:00:00Z (seed 3):") ||
				!strings.Contains(out, "  suppliers            20\n") || !strings.Contains(out, "  elapsed") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			code, out, errOut = c.run(demoArgs...)
			if code != 1 || out != "" || !strings.Contains(errOut, "error: the register already has suppliers") {
				t.Fatalf("second run: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if code, out, _ := c.run("audit", "verify"); code != 0 || !strings.Contains(out, "audit trail intact") {
				t.Fatalf("audit verify: exit %d, %s", code, out)
			}
		})
	}
}

// A migrated register with no suppliers is filled without migrating again.
func TestDemoGenerateOnAMigratedRegister(t *testing.T) {
	c := newMigratedCLI(t)
	code, out, errOut := c.run(demoArgs...)
	if code != 0 || strings.Contains(out, "migration") || !strings.Contains(out, "  suppliers            20\n") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// A wrong command line does nothing and exits 2 with the command's usage.
func TestDemoGenerateUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"demo"}, "missing subcommand: generate"},
		{"unknown subcommand", []string{"demo", "load"}, `unknown subcommand "load"`},
		{"no count", []string{"demo", "generate", "--seed", "1"}, "--suppliers is required"},
		{"too few", []string{"demo", "generate", "--suppliers", "19", "--seed", "1"}, "--suppliers must be between 20 and 100000"},
		{"too many", []string{"demo", "generate", "--suppliers", "100001", "--seed", "1"}, "--suppliers must be between 20 and 100000"},
		{"not a count", []string{"demo", "generate", "--suppliers", "many", "--seed", "1"}, "invalid value"},
		{"no seed", []string{"demo", "generate", "--suppliers", "20"}, "--seed is required"},
		{"negative seed", []string{"demo", "generate", "--suppliers", "20", "--seed", "-1"}, "invalid value"},
		{"bad time", []string{"demo", "generate", "--suppliers", "20", "--seed", "1", "--now", "2026-11-02"}, "--now must be an RFC 3339 timestamp"},
		{"unknown flag", []string{"demo", "generate", "--suppliers", "20", "--seed", "1", "--fast"}, "flag provided but not defined: -fast"},
		{"stray argument", []string{"demo", "generate", "--suppliers", "20", "--seed", "1", "more"}, `unexpected argument "more"`},
	}
	c := newCLI(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := c.run(tc.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) ||
				!strings.Contains(errOut, "weaklink demo generate --suppliers N --seed S") {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
		})
	}
	if code, out, _ := c.run("demo", "generate", "-h"); code != 0 || !strings.Contains(out, "-suppliers int") || !strings.Contains(out, "-seed uint") {
		t.Errorf("demo generate -h: exit %d\n%s", code, out)
	}
	if code, _, _ := c.run("audit", "verify"); code != 1 {
		t.Errorf("a refused command line created the database (audit verify exit %d)", code)
	}
}
