package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportAndExportCommands(t *testing.T) {
	c := newMigratedCLI(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("suppliers.csv", "supplier_name,criticality,category,data_subjects,record_count\n"+
		"Quayside Mail,high,political_opinions,members,600000\nHarbour Print,low,,,\n")

	code, out, errOut := c.run("import", good, "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run, nothing changed") || !strings.Contains(out, "suppliers: 2 created, 0 updated, 0 unchanged") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = c.run("import", good)
	if code != 0 || !strings.Contains(out, "imported "+good+": 2 row(s)") ||
		!strings.Contains(out, "data holdings: 1 created, 0 updated, 0 unchanged") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}

	xlsx := filepath.Join(dir, "register.xlsx")
	if code, out, errOut := c.run("export", "-o", xlsx); code != 0 || out != "wrote "+xlsx+"\n" {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = c.run("import", xlsx)
	if code != 0 || !strings.Contains(out, "suppliers: 0 created, 0 updated, 2 unchanged") {
		t.Fatalf("re-import of the export: exit %d\n%s", code, out)
	}
	if code, out, _ := c.run("export", "--format", "csv"); code != 0 || !strings.HasPrefix(out, "\uFEFFsupplier_name,criticality,") ||
		!strings.Contains(out, "Quayside Mail,high,active,") {
		t.Fatalf("export to stdout: exit %d\n%s", code, out)
	}

	bad := write("bad.csv", "supplier_name,criticality,record_count,category\nA,low,,\nB,severe,-1,health\n")
	code, _, errOut = c.run("import", bad)
	for _, want := range []string{"row 3, criticality: must be one of low, medium, high, critical", "row 3, data_subjects: is required",
		"row 3, record_count: must be 0 or more", "bad.csv: 3 problem(s); nothing was imported"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad file: exit %d, stderr lacks %q:\n%s", code, want, errOut)
		}
	}
	// Runtime failures exit 1; a missing FILE or a stray argument is a usage error
	// (exit 2, TestUnknownFlagsAndStrayArgumentsExit2).
	for _, args := range [][]string{{"import", write("x.txt", "")}, {"import", filepath.Join(dir, "missing.csv")},
		{"export", "--format", "pdf"}} {
		if code, _, _ := c.run(args...); code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
	}
}

// A wrong file or format is named as such before the database is opened, so the
// answer does not depend on the state of the database (here: there is none).
func TestImportAndExportCheckTheirFileFirst(t *testing.T) {
	c := newCLI(t) // no database at all
	txt := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(txt, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"import", txt}, "must end in .csv or .xlsx"},
		{[]string{"import", filepath.Join(t.TempDir(), "missing.csv")}, "no such file"},
		{[]string{"export", "--format", "pdf"}, "--format must be csv or xlsx"},
	}
	for _, tc := range cases {
		if code, _, errOut := c.run(tc.args...); code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want it to mention %q", tc.args, code, errOut, tc.want)
		}
	}
}
