package cli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestAuditVerifyDetectsTampering(t *testing.T) {
	c := newMigratedCLI(t)
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

// The case that used to leave an empty weaklink.db behind and print "no such table":
// `weaklink audit verify` with the default path, in a directory with no database.
func TestAuditVerifyInAnEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c := &cli{t: t, env: map[string]string{}}
	code, out, errOut := c.run("audit", "verify")
	if code != 1 || out != "" || !strings.Contains(errOut, "no database at ./weaklink.db") ||
		!strings.Contains(errOut, "weaklink migrate up") || strings.Contains(errOut, "no such table") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the directory is no longer empty: %v", entries)
	}
}
