package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestAPIKeyCreatePrintsOnlyTheSecret(t *testing.T) {
	c := newMigratedCLI(t) // apikey no longer migrates: migrate up first
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
	// Flags may follow or precede in any order.
	if code, _, errOut := c.run("apikey", "create", "--name", "ops", "--expires", "2099-01-01T00:00:00Z", "--role", "admin"); code != 0 {
		t.Fatalf("reordered flags: exit %d, %s", code, errOut)
	}
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	if code, _, errOut := c.run("apikey", "revoke", id); code != 0 {
		t.Fatalf("revoke: exit %d, %s", code, errOut)
	}
	if code, _, errOut := c.run("apikey", "revoke", id); code != 1 || !strings.HasPrefix(errOut, "error: ") {
		t.Fatalf("second revoke: exit %d, %s", code, errOut)
	}
}
