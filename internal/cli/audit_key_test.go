package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// eachMigratedCLI runs fn with a command line on a freshly migrated database of
// each configured dialect, and a store on the same database for tampering.
func eachMigratedCLI(t *testing.T, fn func(t *testing.T, c *cli, st *store.Store)) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			c := newCLI(t)
			if d == store.Postgres {
				c.env["WEAKLINK_DATABASE_URL"] = testdb.Schema(t)
			}
			if code, _, errOut := c.run("migrate", "up"); code != 0 {
				t.Fatalf("migrate up: %s", errOut)
			}
			st, err := store.Open(context.Background(), store.Options{DatabaseURL: c.env["WEAKLINK_DATABASE_URL"],
				SQLitePath: c.env["WEAKLINK_SQLITE_PATH"]})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			fn(t, c, st)
		})
	}
}

// superuser runs statements with the append-only triggers out of the way.
func superuser(t *testing.T, st *store.Store, stmts ...string) {
	t.Helper()
	if st.Dialect() == store.Postgres {
		testdb.Exec(t, st, append(append([]string{"ALTER TABLE audit_events DISABLE TRIGGER USER"}, stmts...),
			"ALTER TABLE audit_events ENABLE TRIGGER USER")...)
		return
	}
	testdb.Exec(t, st, append([]string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}, stmts...)...)
}

var headLine = regexp.MustCompile(`^([0-9]+):([0-9a-f]{64})\n$`)

// `audit head` prints the head to record; `audit verify --expect` with it detects
// the newest events deleted together with the head moved back, which plain verify
// cannot see.
func TestAuditVerifyExpectDetectsTruncation(t *testing.T) {
	eachMigratedCLI(t, func(t *testing.T, c *cli, st *store.Store) {
		for _, name := range []string{"one", "two", "three"} {
			if code, _, errOut := c.run("apikey", "create", "--role", "viewer", "--name", name); code != 0 {
				t.Fatal(errOut)
			}
		}
		code, early, _ := c.run("audit", "head")
		if code != 0 || !headLine.MatchString(early) || !strings.HasPrefix(early, "3:") {
			t.Fatalf("audit head: exit %d, %q", code, early)
		}
		early = strings.TrimSpace(early)
		if code, _, errOut := c.run("apikey", "create", "--role", "viewer", "--name", "four"); code != 0 {
			t.Fatal(errOut)
		}
		_, recorded, _ := c.run("audit", "head")
		recorded = strings.TrimSpace(recorded)
		// Later events may follow a recorded head; the flag may be given twice.
		code, out, errOut := c.run("audit", "verify", "--expect", early, "--expect="+recorded)
		if code != 0 || !strings.Contains(out, "intact: 4 events") || !strings.Contains(out, "recorded head 3 found, recorded head 4 found") {
			t.Fatalf("verify with recorded heads: exit %d, %s%s", code, out, errOut)
		}

		hash3 := headLine.FindStringSubmatch(early + "\n")[2]
		superuser(t, st, "DELETE FROM audit_events WHERE seq = 4", fmt.Sprintf("UPDATE audit_head SET seq = 3, hash = '%s'", hash3))
		if code, out, _ := c.run("audit", "verify"); code != 0 || !strings.Contains(out, "intact: 3 events") {
			t.Fatalf("plain verify of the shortened chain: exit %d, %s (it cannot see the truncation)", code, out)
		}
		code, out, errOut = c.run("audit", "verify", "--expect", recorded)
		if code != 1 || out != "" || !strings.Contains(errOut, "error: audit chain broken at event 4: the recorded head 4 is missing: the chain ends at event 3") {
			t.Fatalf("verify --expect on the shortened chain: exit %d, %q, %q", code, out, errOut)
		}
		// A rewritten event: same sequence number, another hash.
		code, _, errOut = c.run("audit", "verify", "--expect", "3:"+strings.Repeat("0", 64))
		if code != 1 || !strings.Contains(errOut, "event 3: its hash "+hash3+" is not the recorded") {
			t.Fatalf("verify --expect with another hash: exit %d, %s", code, errOut)
		}
	})
}

func TestAuditVerifyExpectMalformedIsUsage(t *testing.T) {
	c := newMigratedCLI(t)
	for _, bad := range []string{"4", "4:abc", "four:" + strings.Repeat("a", 64), strings.Repeat("a", 64)} {
		code, out, errOut := c.run("audit", "verify", "--expect", bad)
		if code != 2 || out != "" || !strings.Contains(errOut, "SEQ:HASH") || !strings.Contains(errOut, "Usage:") {
			t.Errorf("--expect %q: exit %d, %s", bad, code, errOut)
		}
	}
	if code, _, errOut := c.run("audit", "head", "extra"); code != 2 {
		t.Errorf("audit head with an argument: exit %d, %s", code, errOut)
	}
	if code, out, _ := c.run("audit", "head"); code != 0 || out != "0:"+strings.Repeat("0", 64)+"\n" {
		t.Errorf("head of an empty trail: exit %d, %q", code, out)
	}
}

// A WEAKLINK_AUDIT_KEY that does not verify the newest HMAC event, or none once such
// an event exists, stops every command that opens the store (exit 2, the variable
// named, the key never shown) before it changes anything, but for audit verify, which
// runs and fails (exit 1) at the first event it cannot check, and migrate.
func TestAuditKeyCheckedAtStart(t *testing.T) {
	right, wrong := strings.Repeat("5a", 32), strings.Repeat("a5", 32)
	eachMigratedCLI(t, func(t *testing.T, c *cli, st *store.Store) {
		if code, _, errOut := c.run("apikey", "create", "--role", "viewer", "--name", "before the key"); code != 0 {
			t.Fatal(errOut)
		}
		c.env["WEAKLINK_AUDIT_KEY"] = right
		if code, out, _ := c.run("audit", "verify"); code != 0 || !strings.Contains(out, "intact: 1 events") ||
			!strings.Contains(out, "no event hashed with hmac-sha256 yet") {
			t.Fatalf("key set, nothing written since: exit %d, %s", code, out)
		}
		if code, _, errOut := c.run("apikey", "create", "--role", "viewer", "--name", "keyed"); code != 0 {
			t.Fatal(errOut)
		}
		code, out, errOut := c.run("audit", "verify")
		if code != 0 || !strings.Contains(out, "intact: 2 events") || !strings.Contains(out, "hmac-sha256 from event 2") {
			t.Fatalf("mixed chain with the key: exit %d, %s%s", code, out, errOut)
		}
		_, head, _ := c.run("audit", "head")

		checked := [][]string{{"apikey", "create", "--role", "viewer", "--name", "x"}, {"apikey", "list"},
			{"export"}, {"report", "generate"}, {"serve", "--addr", "127.0.0.1:0"}, {"serve", "--no-migrate", "--addr", "127.0.0.1:0"}}
		for _, tc := range []struct{ key, want string }{
			{wrong, "configuration: WEAKLINK_AUDIT_KEY: the audit key does not verify event 2, the newest hashed with hmac-sha256"},
			{"", "configuration: WEAKLINK_AUDIT_KEY: no audit key is set, but the audit trail is hashed with hmac-sha256 up to event 2"},
		} {
			c.env["WEAKLINK_AUDIT_KEY"] = tc.key
			for _, args := range checked {
				code, _, errOut := c.run(args...)
				if code != 2 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, right) || strings.Contains(errOut, wrong) {
					t.Errorf("key %.4q, %v: exit %d, %s", tc.key, args, code, errOut)
				}
			}
			if code, _, errOut := c.run("migrate", "status"); code != 0 {
				t.Errorf("key %.4q, migrate status: exit %d, %s", tc.key, code, errOut)
			}
		}
		c.env["WEAKLINK_AUDIT_KEY"] = ""
		if code, _, errOut := c.run("audit", "verify"); code != 1 || !strings.Contains(errOut, "event 2: hashed with hmac-sha256, and no audit key is set") {
			t.Errorf("verify without the key: exit %d, %s", code, errOut)
		}
		c.env["WEAKLINK_AUDIT_KEY"] = wrong
		if code, _, errOut := c.run("audit", "verify"); code != 1 || !strings.Contains(errOut, "event 2: content does not match its hash (edited, or the audit key") {
			t.Errorf("verify with another key: exit %d, %s", code, errOut)
		}
		if _, after, _ := c.run("audit", "head"); after != head {
			t.Fatalf("a refused command appended to the trail: head %s, was %s", after, head)
		}

		// serve with the right key appends keyed events and never logs the key.
		c.env["WEAKLINK_AUDIT_KEY"] = right
		c.env["WEAKLINK_ADDR"] = "127.0.0.1:0"
		_, logs, stop := startServe(t, c)
		if code := stop(); code != 0 || !strings.Contains(logs.String(), `"audit_hash":"hmac-sha256"`) || strings.Contains(logs.String(), right) {
			t.Fatalf("serve: exit %d, %s", code, logs.String())
		}
	})
}
