package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// flatten joins a text's words with single spaces.
func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }

// squeeze drops every space and line break, so that a cell's lines, wrapped
// anywhere, compare equal to the text they were cut from.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// renderPDFText renders a snapshot to PDF twice (the bytes must agree) and
// returns the text pdftotext reads from it.
func renderPDFText(t *testing.T, s Snapshot) string {
	t.Helper()
	pdftotext := tool(t, "pdftotext")
	a, err := Render(s, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(s, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two renderings of the same snapshot differ (%d and %d bytes)", len(a), len(b))
	}
	return pdfText(t, pdftotext, a)
}

// TestPDFNamesPrintAsStored: Latin, Greek and Cyrillic names print as stored; a
// character the embedded fonts lack is spelled [U+XXXX], never a silent '?'.
func TestPDFNamesPrintAsStored(t *testing.T) {
	names := []struct{ stored, printed string }{
		{"Łódź Żółć Sp. z o.o.", "Łódź Żółć Sp. z o.o."},
		{"Škoda Čeština s.r.o.", "Škoda Čeština s.r.o."},
		{"Ελληνική Α.Ε.", "Ελληνική Α.Ε."},
		{"Бета ООО", "Бета ООО"},
		{"東京データ株式会社", "[U+6771][U+4EAC][U+30C7][U+30FC][U+30BF][U+682A][U+5F0F][U+4F1A][U+793E]"},
		{"🥇 Gold Vendor", "[U+1F947] Gold Vendor"},
		// Siblings: combining accents (decomposed, as some systems store them) print
		// as stored; a private-use character the bold face lacks is spelled out
		// everywhere, so a name prints alike in either face.
		{"Cafe\u0301 Zu\u0308rich AG", "Cafe\u0301 Zu\u0308rich AG"},
		{"Private \uf000 Use Ltd", "Private [U+F000] Use Ltd"},
	}
	s := testSnapshot()
	s.Assessments.NeverAssessed = nil
	for i, n := range names {
		// A single wide column: the names do not wrap.
		s.Assessments.NeverAssessed = append(s.Assessments.NeverAssessed, SupplierRef{ID: fmt.Sprintf("s-n%d", i), Name: n.stored})
		l := s.Suppliers[0]
		l.ID, l.Name = fmt.Sprintf("s-n%d", i), n.stored
		s.Suppliers = append(s.Suppliers, l)
	}
	// The report's own arrow, in a path a flag message names.
	s.WeakLinks[0].Flags = append(s.WeakLinks[0].Flags, FlagLine{Code: "inherited_weakness", Severity: "high",
		Message: "its data reaches the sub-processor Lighthouse Backup (never assessed) via Quayside Mail → Lighthouse Backup"})
	text := renderPDFText(t, s)
	flat, tight := flatten(text), squeeze(text)
	for _, n := range names {
		if !strings.Contains(flat, n.printed) {
			t.Errorf("PDF text lacks %q (stored as %q)", n.printed, n.stored)
		}
	}
	if !strings.Contains(tight, squeeze("Quayside Mail → Lighthouse Backup")) {
		t.Error("the arrow of a flag message's path is not printed")
	}
	if strings.Contains(text, "?") {
		t.Errorf("a character printed as '?':\n%s", text)
	}
	for _, want := range []string{"[U+1F947]", RendererVersion} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

// TestPDFTablesCutNothing: every flag message of a weak link is printed, however
// many there are and however long: no cell is capped, a word wider than its cell
// breaks at the edge, and a row taller than a page continues on the next.
func TestPDFTablesCutNothing(t *testing.T) {
	s := testSnapshot()
	var five []FlagLine
	for i, code := range []string{"weak_posture", "critical_control_failed", "special_category_exposure", "inherited_weakness", "no_dpa"} {
		five = append(five, FlagLine{Code: code, Severity: "high", Message: fmt.Sprintf(
			"flag %d of five: a message long enough to wrap over three lines of the narrow flags column of the weakest links table", i+1)})
	}
	s.WeakLinks[0].Flags = five
	// Sibling: one unbreakable token far wider than the cell.
	long := "evidence/" + strings.Repeat("0123456789abcdef", 12) + "/end"
	// Lines break only at spaces and hyphens: a key that fits a line is never split
	// at its underscores, slashes or semicolons.
	const key = "contact_details/archive;2026"
	s.WeakLinks[1].Flags = []FlagLine{{Code: "no_dpa", Severity: "medium", Message: "see " + long + " for details"},
		{Code: "retention_exceeded", Severity: "medium", Message: "holds data past its retention date under " + key}}
	// A row taller than a whole page, of flags a line each (so that none is split
	// by the page break, which pdftotext reads with the footer and header between).
	var many []FlagLine
	for i := range 150 {
		many = append(many, FlagLine{Code: "open_incident", Severity: "low", Message: fmt.Sprintf("#%03d", i)})
	}
	s.WeakLinks[2].Flags = many
	text := renderPDFText(t, s)
	tight := squeeze(text)
	for _, f := range five {
		if !strings.Contains(tight, squeeze(f.Message)) {
			t.Errorf("the weakest links table lacks %q", f.Message)
		}
	}
	if !strings.Contains(tight, squeeze(long)) {
		t.Errorf("the long token is cut: %q", long)
	}
	if !strings.Contains(flatten(text), key) {
		t.Errorf("%q is split across lines", key)
	}
	for _, f := range many {
		if !strings.Contains(tight, squeeze("[low] open_incident: "+f.Message)) {
			t.Errorf("the row that runs over pages lacks %q", f.Message)
		}
	}
	if strings.Contains(text, "…") {
		t.Error("a cell ends in an ellipsis")
	}
	// The row ran on: the table's header is printed on every page it covers.
	if n := strings.Count(text, "Rank Supplier"); n < 3 {
		t.Errorf("the weakest links header is printed %d times, want it above each of at least 3 pages", n)
	}
}

func TestWrapText(t *testing.T) {
	width := func(s string) float64 { return float64(len([]rune(s))) } // one unit a character
	for _, tc := range []struct {
		name, in string
		room     float64
		want     []string
	}{
		{"fits", "short text", 20, []string{"short text"}},
		{"at spaces", "one two three four", 9, []string{"one two", "three", "four"}},
		{"after hyphens", "Łódź-Żółć-Spółka", 11, []string{"Łódź-Żółć-", "Spółka"}},
		{"a range between its ends", "258,000–456,000 people", 9, []string{"258,000–", "456,000", "people"}},
		{"not at underscores, slashes or semicolons", "special_category; a/b", 18, []string{"special_category;", "a/b"}},
		{"a word wider than the cell breaks at the edge", "ab 0123456789abc cd", 6, []string{"ab", "012345", "6789ab", "c cd"}},
		{"line breaks stay", "a\nb c", 2, []string{"a", "b", "c"}},
		{"a cell narrower than a character", "abc", 0.5, []string{"a", "b", "c"}},
	} {
		got := wrapText(tc.in, tc.room, width)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: wrap(%q, %v) = %q, want %q", tc.name, tc.in, tc.room, got, tc.want)
		}
		for _, l := range got {
			if width(l) > tc.room && len([]rune(l)) > 1 {
				t.Errorf("%s: line %q is wider than %v", tc.name, l, tc.room)
			}
		}
		if squeeze(strings.Join(got, "")) != squeeze(tc.in) {
			t.Errorf("%s: the lines %q do not give back %q", tc.name, got, tc.in)
		}
	}
}

func TestPrintable(t *testing.T) {
	c, err := pdfFontCoverage()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"Plain ASCII & <markup>", "Plain ASCII & <markup>"},
		{"Brûlée → Łódź · Ελληνική · Бета – “quoted” …", "Brûlée → Łódź · Ελληνική · Бета – “quoted” …"},
		{"🥇 Gold Vendor", "[U+1F947] Gold Vendor"},
		{"東京", "[U+6771][U+4EAC]"},
		{"tab\tand\x00nul\u0085next", "tab and nul next"},
		{"caf\xe9", "caf\ufffd"}, // not UTF-8: the replacement character, visibly
		{"two\nlines", "two\nlines"},
		{"\uf000", "[U+F000]"}, // the regular face has it, the bold one does not
	} {
		if got := c.printable(tc.in); got != tc.want {
			t.Errorf("printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPDFRendersConcurrently: renderings share the embedded fonts and their
// coverage; two at once give the bytes one alone does (run with -race in CI).
func TestPDFRendersConcurrently(t *testing.T) {
	want, err := Render(testSnapshot(), "pdf")
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]byte, 2)
	errs := make([]error, 2)
	done := make(chan int)
	for i := range got {
		go func() {
			got[i], errs[i] = Render(testSnapshot(), "pdf")
			done <- i
		}()
	}
	<-done
	<-done
	for i := range got {
		if errs[i] != nil || !bytes.Equal(got[i], want) {
			t.Fatalf("concurrent rendering %d differs (%v)", i, errs[i])
		}
	}
}
