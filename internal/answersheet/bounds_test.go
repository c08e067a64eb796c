package answersheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// sheetZip is a minimal zip holding one worksheet part with the given XML.
func sheetZip(t *testing.T, sheet string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	fmt.Fprint(w, sheet)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Workbooks that would make excelize fill huge rows or scan them cell by cell are
// refused from a stream of their XML, quickly and before excelize opens them: a
// cell in the last column, a row far down, rows or cells that leave out their
// position, and a zip that decompresses to far more than a questionnaire.
func TestBoundsRefuseCostlyWorkbooks(t *testing.T) {
	many := func(n int, el string) string { return strings.Repeat(el, n) }
	for name, sheet := range map[string]string{
		"last column":          `<worksheet><sheetData><row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>`,
		"far down":             `<worksheet><sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>`,
		"rows without r":       `<worksheet><sheetData>` + many(maxRows+1, `<row><c><v>1</v></c></row>`) + `</sheetData></worksheet>`,
		"cells without r":      `<worksheet><sheetData><row>` + many(maxColumns+1, `<c><v>1</v></c>`) + `</row></sheetData></worksheet>`,
		"2,000 rows at column": `<worksheet><sheetData>` + many(2000, `<row r="5"><c r="XFD5"><v>1</v></c></row>`) + `</sheetData></worksheet>`,
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := checkBounds(sheetZip(t, sheet))
			if register.ErrorCode(err) != register.CodeInvalid {
				t.Fatalf("err = %v, want a field error", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("xl/sharedStrings.xml")
	_, _ = w.Write(bytes.Repeat([]byte("a"), maxUnzipped+1)) // compresses to a few KiB
	_ = z.Close()
	if err := checkBounds(buf.Bytes()); register.ErrorCode(err) != register.CodeInvalid {
		t.Fatalf("a zip bomb: %v", err)
	}
	if err := checkBounds(sheetZip(t, `<worksheet><sheetData><row r="2"><c r="G2"><v>1</v></c></row></sheetData></worksheet>`)); err != nil {
		t.Fatalf("a sheet within bounds: %v", err)
	}
}
