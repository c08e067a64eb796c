package cli

import (
	"fmt"
	"regexp"
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
			if code != 0 || !strings.Contains(out, fmt.Sprintf("applied %d migration(s)\n", latestMigration)) ||
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
		{"no subcommand", []string{"demo"}, "missing subcommand: load, generate"},
		{"unknown subcommand", []string{"demo", "unload"}, `unknown subcommand "unload"`},
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

// demo load migrates a database with no tables, loads the demo as of the given
// day, and prints an admin key named demo-admin that works, with the URLs to open
// and three things to try; a second load is refused and creates no second key.
func TestDemoLoadPrintsAKeyAndWhatToTry(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			c := newCLI(t)
			if d == "postgres" {
				c.env["WEAKLINK_DATABASE_URL"] = testdb.Schema(t)
			}
			code, out, errOut := c.run("demo", "load", "--date", "2026-11-30")
			secret := regexp.MustCompile(`export WEAKLINK_KEY=(wl_[A-Za-z0-9_-]{43})\n`).FindStringSubmatch(out)
			if code != 0 || secret == nil || !strings.Contains(out, fmt.Sprintf("applied %d migration(s)", latestMigration)) ||
				!strings.Contains(out, "as of 2026-11-30") || !strings.Contains(out, `named "demo-admin"`) ||
				!strings.Contains(out, "40 suppliers") || !strings.Contains(out, "http://127.0.0.1:8080/docs") ||
				!strings.Contains(out, "Start the service on it with `weaklink serve --demo`") ||
				!regexp.MustCompile(`/api/v1/reports/[0-9a-f-]{36}\?format=html`).MatchString(out) ||
				!regexp.MustCompile(`/api/v1/incidents/[0-9a-f-]{36}/impact`).MatchString(out) ||
				!strings.Contains(out, "/api/v1/weak-links") || !strings.Contains(out, "exposure?category=political_opinions") {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			code, keys, _ := c.run("apikey", "list")
			if code != 0 || strings.Count(keys, "demo-admin") != 1 || !strings.Contains(keys, "admin") {
				t.Fatalf("apikey list: exit %d\n%s", code, keys)
			}
			code, out, errOut = c.run("demo", "load")
			if code != 1 || out != "" || !strings.Contains(errOut, "already holds the demo register") ||
				!strings.Contains(errOut, "weaklink apikey create") {
				t.Fatalf("second load: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if _, keys, _ := c.run("apikey", "list"); strings.Count(keys, "demo-admin") != 1 {
				t.Fatalf("a refused load created a key:\n%s", keys)
			}
			if code, out, _ := c.run("audit", "verify"); code != 0 || !strings.Contains(out, "audit trail intact") {
				t.Fatalf("audit verify: exit %d, %s", code, out)
			}
		})
	}
}

// A database holding another register is refused, naming what to do; nothing is
// written to it.
func TestDemoLoadRefusesAnotherRegister(t *testing.T) {
	c := newCLI(t)
	c.run(demoArgs...) // a generated register: suppliers, but no demo mark
	_, before, _ := c.run("export")
	code, out, errOut := c.run("demo", "load")
	if code != 1 || out != "" || !strings.Contains(errOut, "not the demo") || !strings.Contains(errOut, "use a new database") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if _, after, _ := c.run("export"); after != before {
		t.Fatal("the refused load changed the register")
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "load", "--date", "30/11/2026"}, "--date must be a day written YYYY-MM-DD"},
		{[]string{"demo", "load", "--date", "2027-13-01"}, "--date must be a day written YYYY-MM-DD"},
		{[]string{"demo", "load", "--date", "2999-01-01"}, "--date must not be later than today"},
		{[]string{"demo", "load", "extra"}, `unexpected argument "extra"`},
	} {
		if code, _, errOut := c.run(bad.args...); code != 2 || !strings.Contains(errOut, bad.want) ||
			!strings.Contains(errOut, "weaklink demo load [--date YYYY-MM-DD]") {
			t.Errorf("%v: exit %d\n%s", bad.args, code, errOut)
		}
	}
}
