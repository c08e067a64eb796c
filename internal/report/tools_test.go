package report

import (
	"os"
	"os/exec"
	"testing"
)

// tool finds a command a test needs (pdftotext, chromium: the tools .ci/run
// installs). Missing, it skips the test on a developer's machine but fails it when
// CI=true, where the tools are installed on purpose and a skip would hide a check.
func tool(t *testing.T, name string) string {
	t.Helper()
	return lookTool(t, name, os.Getenv("CI") == "true")
}

// skipFailer is the part of testing.TB that lookTool uses.
type skipFailer interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// lookTool is tool with the CI setting given.
func lookTool(t skipFailer, name string, ci bool) string {
	t.Helper()
	p, err := exec.LookPath(name)
	switch {
	case err == nil:
		return p
	case ci:
		t.Fatalf("%s is not on PATH: CI=true, so this check fails instead of skipping (.ci/run installs it)", name)
	default:
		t.Skipf("%s is not on PATH; skipping (in CI, with CI=true, this fails)", name)
	}
	return ""
}

// recorder notes whether lookTool failed or skipped.
type recorder struct{ failed, skipped bool }

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true }

func TestToolMissingFailsInCI(t *testing.T) {
	const missing = "weaklink-no-such-tool"
	for _, tc := range []struct {
		ci                 bool
		wantFail, wantSkip bool
	}{
		{ci: true, wantFail: true},
		{ci: false, wantSkip: true},
	} {
		var r recorder
		if p := lookTool(&r, missing, tc.ci); p != "" || r.failed != tc.wantFail || r.skipped != tc.wantSkip {
			t.Errorf("CI=%v: path %q, failed %v, skipped %v; want failed %v, skipped %v", tc.ci, p, r.failed, r.skipped, tc.wantFail, tc.wantSkip)
		}
	}
	var r recorder
	if p := lookTool(&r, "go", true); p == "" || r.failed || r.skipped {
		t.Errorf("a tool on PATH: path %q, failed %v, skipped %v", p, r.failed, r.skipped)
	}
}
