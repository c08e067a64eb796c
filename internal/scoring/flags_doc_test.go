package scoring

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// flagExamplesMarker introduces the table of flag examples in docs/methodology.md.
const flagExamplesMarker = "<!-- flag examples: checked by TestMethodologyFlagExamples -->"

// docFlagSection returns the "Weak-link flags" section of the methodology.
func docFlagSection(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(methodologyDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## Weak-link flags\n")
	if !ok {
		t.Fatalf("%s has no \"## Weak-link flags\" section", methodologyDoc)
	}
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next]
	}
	return section
}

// docRow returns the table row of the text starting with "| `code` |", or "".
func docRow(text, code string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "| `"+code+"` |") {
			return line
		}
	}
	return ""
}

func TestMethodologyFlagTable(t *testing.T) {
	section := docFlagSection(t)
	table, _, _ := strings.Cut(section, flagExamplesMarker)
	for _, code := range FlagCodes() {
		if docRow(table, code) == "" {
			t.Errorf("the flags table has no row for `%s`", code)
		}
	}
	fc := DefaultFlagConfig()
	for _, r := range []struct {
		name  string
		value string
	}{
		{"OutlierMinPortfolio", fmt.Sprint(fc.OutlierMinPortfolio)}, {"OutlierMinGap", fmtNum(fc.OutlierMinGap)},
		{"OutlierIQRMultiple", fmtNum(fc.OutlierIQRMultiple)}, {"ConcentrationShare", fmtNum(fc.ConcentrationShare)},
	} {
		if row := fmt.Sprintf("| `%s` | %s |", r.name, r.value); !strings.Contains(section, row) {
			t.Errorf("the flag settings table lacks %q", row)
		}
	}
}

func TestMethodologyFlagExamples(t *testing.T) {
	_, examples, ok := strings.Cut(docFlagSection(t), flagExamplesMarker)
	if !ok {
		t.Fatalf("the flags section has no %q", flagExamplesMarker)
	}
	seen := map[string]bool{}
	for _, c := range flagCases() {
		if !c.example {
			continue
		}
		if seen[c.code] {
			t.Fatalf("two examples for %s", c.code)
		}
		seen[c.code] = true
		if c.p.Today != "2026-11-02" {
			t.Fatalf("example %q is not judged on the documented day", c.name)
		}
		f, raised := findFlag(Flags(c.p, DefaultConfig(), DefaultFlagConfig())[c.supplier].Flags, c.code)
		if !raised {
			t.Fatalf("example %q raises no %s", c.name, c.code)
		}
		row := docRow(examples, c.code)
		if row == "" {
			t.Errorf("the examples table has no row for `%s`", c.code)
			continue
		}
		if !strings.HasSuffix(row, "| "+f.Message+" |") {
			t.Errorf("the example of `%s` should end with the message\n%s\nbut reads\n%s", c.code, f.Message, row)
		}
	}
	for _, code := range FlagCodes() {
		if !seen[code] {
			t.Errorf("no example case for %s", code)
		}
	}
}
