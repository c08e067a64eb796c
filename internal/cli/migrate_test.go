package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
)

// latestMigration is the newest migration's version; versions run 1, 2, … without gaps,
// so it is also how many there are.
var latestMigration = func() int {
	st, err := store.Open(context.Background(), store.Options{SQLitePath: ":memory:"})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	states, err := st.MigrationStatus(context.Background())
	if err != nil {
		panic(err)
	}
	return len(states)
}()

func TestMigrateCommands(t *testing.T) {
	c := newCLI(t)
	if code, out, _ := c.run("migrate", "up"); code != 0 || !strings.Contains(out, fmt.Sprintf("applied %d migration(s)", latestMigration)) {
		t.Fatalf("up: %d %s", code, out)
	}
	if code, out, _ := c.run("migrate", "down"); code != 0 || !strings.Contains(out, fmt.Sprintf("rolled back migration %d", latestMigration)) {
		t.Fatalf("down: %d %s", code, out)
	}
	code, out, _ := c.run("migrate", "status")
	if code != 0 || !regexp.MustCompile(fmt.Sprintf(`%d\s+applied`, latestMigration-1)).MatchString(out) ||
		!regexp.MustCompile(fmt.Sprintf(`%d\s+pending`, latestMigration)).MatchString(out) {
		t.Fatalf("status: %d\n%s", code, out)
	}
	// An unknown subcommand is a usage error now (exit 2), no longer a failure (1).
	if code, _, _ := c.run("migrate", "sideways"); code != 2 {
		t.Fatalf("bad subcommand exit %d", code)
	}
	if code, out, _ := c.run("migrate", "up"); code != 0 || !strings.Contains(out, "applied 1 migration(s)") {
		t.Fatalf("up again: %d %s", code, out)
	}
}

// commandsThatNeedACurrentSchema are the commands that never change the schema
// (import with a file that exists: a missing file is reported before the database).
func commandsThatNeedACurrentSchema(t *testing.T) [][]string {
	csv := filepath.Join(t.TempDir(), "suppliers.csv")
	if err := os.WriteFile(csv, []byte("supplier_name,criticality\nHarbour Print,low\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"audit", "verify"},
		{"apikey", "list"},
		{"apikey", "create", "--role", "admin", "--name", "ops"},
		{"apikey", "revoke", "0190b5a4-0000-7000-8000-000000000000"},
		{"import", csv, "--dry-run"},
		{"export"},
		{"report", "generate"},
		{"report", "render", "0190b5a4-0000-7000-8000-000000000000"},
	}
}

// Only migrate up creates a missing SQLite file; everything else says it is missing.
func TestCommandsOnAMissingSQLiteFile(t *testing.T) {
	c := newCLI(t)
	path := c.env["WEAKLINK_SQLITE_PATH"]
	cases := append([][]string{{"migrate", "status"}, {"migrate", "down"}, {"serve", "--no-migrate", "--addr", "127.0.0.1:0"}},
		commandsThatNeedACurrentSchema(t)...)
	for _, args := range cases {
		code, _, errOut := c.run(args...)
		if code != 1 || !strings.Contains(errOut, "no database at "+path+": the SQLite file does not exist") ||
			!strings.Contains(errOut, "`weaklink migrate up`") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatalf("%v created the database file", args)
		}
	}
	if code, _, errOut := c.run("migrate", "up"); code != 0 {
		t.Fatalf("migrate up: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("migrate up did not create the file: %v", err)
	}
}

// A database that is behind (or was never migrated) stops every command but serve
// and migrate up, with a message to run migrate up; nothing is migrated.
func TestCommandsOnASchemaBehind(t *testing.T) {
	c := newMigratedCLI(t)
	path := c.env["WEAKLINK_SQLITE_PATH"]
	if code, _, errOut := c.run("migrate", "down"); code != 0 {
		t.Fatal(errOut)
	}
	for _, args := range commandsThatNeedACurrentSchema(t) {
		code, _, errOut := c.run(args...)
		if code != 1 || !strings.Contains(errOut, "the schema of "+path+" is behind this version of weaklink: run `weaklink migrate up` first") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	if _, out, _ := c.run("migrate", "status"); !regexp.MustCompile(fmt.Sprintf(`%d\s+pending`, latestMigration)).MatchString(out) {
		t.Fatalf("a command migrated the database:\n%s", out)
	}

	// A file that exists but was never migrated (here: an empty SQLite database).
	empty := newCLI(t)
	st, err := store.Open(context.Background(), store.Options{SQLitePath: empty.env["WEAKLINK_SQLITE_PATH"]})
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	for _, args := range append(commandsThatNeedACurrentSchema(t), []string{"serve", "--no-migrate", "--addr", "127.0.0.1:0"}) {
		code, _, errOut := empty.run(args...)
		if code != 1 || !strings.Contains(errOut, "has no weaklink schema (it was never migrated): run `weaklink migrate up` first") {
			t.Errorf("never migrated, %v: exit %d, %s", args, code, errOut)
		}
	}
}

// A SQLite path in a directory that does not exist is named, not "out of memory (14)".
func TestSQLitePathInAMissingDirectory(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "weaklink.db")
	c.env["WEAKLINK_SQLITE_PATH"] = path
	for _, args := range [][]string{{"migrate", "up"}, {"migrate", "status"}, {"audit", "verify"}, {"serve", "--addr", "127.0.0.1:0"}} {
		code, _, errOut := c.run(args...)
		if code != 1 || !strings.Contains(errOut, "SQLite database "+path+": the directory "+filepath.Dir(path)+" does not exist") ||
			strings.Contains(errOut, "out of memory") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	c.env["WEAKLINK_SQLITE_PATH"] = t.TempDir()
	if code, _, errOut := c.run("migrate", "up"); code != 1 || !strings.Contains(errOut, "is a directory, not a file") {
		t.Errorf("a directory as the path: exit %d, %s", code, errOut)
	}
}

// schemaPopulate, for commands that fill a database with no tables at all: it
// migrates a new database, and wants any other one current.
func TestSchemaPopulate(t *testing.T) {
	ctx := context.Background()
	c := newCLI(t)
	inv := &invocation{getenv: c.getenv, stdout: io.Discard, stderr: io.Discard}
	a, err := inv.setup(ctx, schemaPopulate)
	if err != nil || a.migrated != latestMigration {
		t.Fatalf("new file: migrated %v, %v", a, err)
	}
	a.close()
	if a, err = inv.setup(ctx, schemaPopulate); err != nil || a.migrated != 0 {
		t.Fatalf("current database: %v, %v", a, err)
	}
	a.close()
	if code, _, errOut := c.run("migrate", "down"); code != 0 {
		t.Fatal(errOut)
	}
	if _, err := inv.setup(ctx, schemaPopulate); err == nil || !strings.Contains(err.Error(), "behind") {
		t.Fatalf("a database behind was populated: %v", err)
	}
}
