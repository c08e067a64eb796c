package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPDF(t *testing.T) {
	s := testSnapshot()
	b, err := Render(s, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.20q … %.20q", b, b[max(0, len(b)-20):])
	}
	if !bytes.Contains(b, []byte("/CreationDate (D:20261231174500)")) || !bytes.Contains(b, []byte("/ModDate (D:20261231174500)")) {
		t.Error("creation and modification dates are not the as-of time")
	}
	if bytes.Contains(b, []byte("/ID [")) {
		t.Error("the PDF carries a document ID")
	}

	t.Run("text", func(t *testing.T) {
		pdftotext := tool(t, "pdftotext")
		text := pdfText(t, pdftotext, b)
		wants := append([]string{"weaklink", "Quarterly supplier risk report", "Contents", "2026-Q4", "2026-12-31T17:45:00Z",
			"Ana Ortiz (DPO)", s.AuditHeadHash,
			"Suppliers by risk tier", "Posture histogram", "Inherent risk versus posture", "Flagged suppliers by quarter",
			"Gull Courier Services", "Pelican Print & Post <Ltd>", "Brûlée Analytics SAS", formulaName, "61*", provisionalNote}, sectionTitles...)
		for _, l := range s.Suppliers {
			wants = append(wants, l.Name)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range wants {
			if !strings.Contains(flat, w) {
				t.Errorf("PDF text lacks %q", w)
			}
		}
		pages := regexp.MustCompile(`Page (\d+) of (\d+)`).FindAllStringSubmatch(text, -1)
		if len(pages) < 9 {
			t.Fatalf("%d page footers, want one on every page after the title", len(pages))
		}
		total := pages[0][2]
		for i, p := range pages {
			if p[2] != total || p[1] != strconv.Itoa(i+2) {
				t.Errorf("footer %q on page %d of %s", p[0], i+2, total)
			}
		}
		// The contents list every section with the page it starts on.
		for i, title := range sectionTitles {
			if !regexp.MustCompile(regexp.QuoteMeta(title) + `[ .]*\d+`).MatchString(flat) {
				t.Errorf("contents entry %d (%s) without a page number", i+1, title)
			}
		}
	})
}

func pdfText(t *testing.T, pdftotext string, b []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
