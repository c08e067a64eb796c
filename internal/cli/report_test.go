package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

func TestReportCommands(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC)) // a report is of the current quarter
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

// `report render --format pdf ID` is `report render ID --format pdf`.
func TestReportRenderFlagsBeforeTheID(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC))
	_, out, _ := c.run("report", "generate", "--quarter", "2026-Q2")
	id := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	dir := t.TempDir()
	orders := [][]string{
		{"report", "render", "--format", "csv", id},
		{"report", "render", id, "--format", "csv"},
		{"report", "render", "--format=csv", "-o", filepath.Join(dir, "a.csv"), id},
		{"report", "render", "-o", filepath.Join(dir, "b.csv"), id, "--format", "csv"},
	}
	var want string
	for i, args := range orders {
		code, out, errOut := c.run(args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		switch {
		case i == 0:
			want = out
		case i == 1 && out != want:
			t.Fatalf("%v printed something else:\n%s\nwant:\n%s", args, out, want)
		case i >= 2 && out != "": // -o: the report goes to the file only
			t.Fatalf("%v printed %q", args, out)
		}
	}
	for _, name := range []string{"a.csv", "b.csv"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(raw) != want {
			t.Fatalf("%s: %v\n%s", name, err, raw)
		}
	}
	if !strings.Contains(want, "name,status,criticality,") {
		t.Fatalf("csv render:\n%s", want)
	}
}

// -o writes a file readable by its owner only, and replaces an existing file
// (even a 0644 one) so that it ends up 0600 too; the same holds for export -o.
func TestOutputFilesAreOwnerOnly(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 8, 15, 9, 0, 0, 0, time.UTC))
	_, out, _ := c.run("report", "generate", "--quarter", "2026-Q3")
	id := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	dir := t.TempDir()
	cases := []struct {
		name string
		args func(file string) []string
	}{
		{"report render", func(f string) []string { return []string{"report", "render", id, "--format", "html", "-o", f} }},
		{"export", func(f string) []string { return []string{"export", "-o", f} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fresh := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+"-new.out")
			existing := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+"-old.out")
			if err := os.WriteFile(existing, []byte("old contents, longer than what replaces them? no matter"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(existing, 0o644); err != nil { // whatever the umask
				t.Fatal(err)
			}
			for _, f := range []string{fresh, existing} {
				if code, _, errOut := c.run(tc.args(f)...); code != 0 {
					t.Fatalf("%s: exit %d, %s", f, code, errOut)
				}
				fi, err := os.Stat(f)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, %v; want -rw-------", filepath.Base(f), fi.Mode(), err)
				}
				if raw, _ := os.ReadFile(f); bytes.Contains(raw, []byte("old contents")) {
					t.Errorf("%s was not replaced", filepath.Base(f))
				}
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("files left behind: %v", entries)
	}
}

// The configured scoring reaches the register service every command builds: the
// same supplier is in another tier when the tier thresholds change.
func TestScoringConfigurationReachesTheService(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC))
	csv := filepath.Join(t.TempDir(), "s.csv")
	if err := os.WriteFile(csv, []byte("supplier_name,criticality,category,data_subjects,record_count\n"+
		"Quayside Mail,critical,political_opinions,members,600000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := c.run("import", csv); code != 0 {
		t.Fatal(errOut)
	}
	tier := func(regenerate ...string) string {
		t.Helper()
		code, out, errOut := c.run(append([]string{"report", "generate", "--quarter", "2026-Q1"}, regenerate...)...)
		if code != 0 {
			t.Fatal(errOut)
		}
		id := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
		_, out, _ = c.run("report", "render", id)
		var r struct {
			Summary struct {
				ByTier []struct {
					Key   string
					Count int
				} `json:"by_tier"`
			}
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, b := range r.Summary.ByTier {
			if b.Count == 1 {
				return b.Key
			}
		}
		t.Fatalf("no tier holds the supplier: %+v", r.Summary.ByTier)
		return ""
	}
	if got := tier(); got == "low" {
		t.Fatalf("default thresholds put an unassessed critical supplier of political opinions in tier %q", got)
	}
	c.env["WEAKLINK_SCORING_TIERS"] = "100,99.9,99.8"
	if got := tier("--regenerate"); got != "low" {
		t.Fatalf("with every threshold near 100 the tier is %q, want low", got)
	}
}

// The download of a rendered report is recorded only after the file was written: a
// render whose file cannot be written leaves no download in the audit trail.
func TestReportDownloadRecordedAfterTheFileIsWritten(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC))
	_, out, _ := c.run("report", "generate", "--quarter", "2026-Q1")
	id := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	downloads := func() int {
		t.Helper()
		st, err := store.Open(context.Background(), store.Options{SQLitePath: c.env["WEAKLINK_SQLITE_PATH"]})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		page, err := register.New(st, nil).ListAudit(context.Background(), register.AuditFilter{Action: register.ActionDownload})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	missing := filepath.Join(t.TempDir(), "no-such-dir", "r.pdf")
	if code, _, errOut := c.run("report", "render", id, "--format", "pdf", "-o", missing); code != 1 || !strings.Contains(errOut, "no-such-dir") {
		t.Fatalf("unwritable file: exit %d, %s", code, errOut)
	}
	if n := downloads(); n != 0 {
		t.Fatalf("a render that wrote nothing recorded %d downloads", n)
	}
	if code, _, errOut := c.run("report", "render", id, "--format", "pdf", "-o", filepath.Join(t.TempDir(), "r.pdf")); code != 0 {
		t.Fatalf("render: %s", errOut)
	}
	if n := downloads(); n != 1 {
		t.Fatalf("%d downloads recorded, want 1", n)
	}
}

// report generate refuses a quarter that has not begun: exit 1, naming the current
// quarter, and nothing printed on standard output; a past quarter is generated as of
// its end.
func TestReportGenerateRefusesAQuarterNotBegun(t *testing.T) {
	c := newMigratedCLI(t)
	c.at(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	code, out, errOut := c.run("report", "generate", "--quarter", "2027-Q1")
	want := "error: report generate: --quarter 2027-Q1: 2027-Q1 has not started yet: the current quarter is 2026-Q4"
	if code != 1 || out != "" || !strings.HasPrefix(errOut, want) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, want)
	}
	if code, out, errOut := c.run("report", "generate", "--quarter", "2026-Q3"); code != 0 ||
		!strings.HasPrefix(out, "2026-Q3 stored revision 1 (2026-09-30T23:59:59Z): ") {
		t.Fatalf("Q3 on 30 November: exit %d, %q %q", code, out, errOut)
	}
}
