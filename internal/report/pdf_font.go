package report

import (
	_ "embed" // the PDF's fonts
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// The PDF's typeface: DejaVu Sans, regular and bold (fonts/LICENSE), embedded in
// the binary and subset into each PDF by fpdf, so a PDF carries only the glyphs it
// prints.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

// pdfFont is the family name the PDF's fonts are registered under.
const pdfFont = "DejaVuSans"

// addPDFFonts registers the embedded faces with a document. The report has no
// italic face: the italic style prints in the regular one (see pdfDoc.font).
func addPDFFonts(f *fpdf.Fpdf) {
	f.AddUTF8FontFromBytes(pdfFont, "", dejaVuSans)
	f.AddUTF8FontFromBytes(pdfFont, "B", dejaVuSansBold)
}

// pdfCoverage is the set of characters both embedded faces draw: a bit per
// character of the Basic Multilingual Plane, which is all fpdf can print.
type pdfCoverage [0x10000 / 64]uint64

var (
	coverageOnce sync.Once
	coverage     *pdfCoverage
	coverageErr  error
)

// pdfFontCoverage reads the fonts' character maps once: a character is printable
// when both faces map it to a glyph, so a name prints alike in bold and regular.
func pdfFontCoverage() (*pdfCoverage, error) {
	coverageOnce.Do(func() {
		var faces []*sfnt.Font
		for _, b := range [][]byte{dejaVuSans, dejaVuSansBold} {
			f, err := sfnt.Parse(b)
			if err != nil {
				coverageErr = fmt.Errorf("read the PDF font: %w", err)
				return
			}
			faces = append(faces, f)
		}
		var buf sfnt.Buffer
		c := new(pdfCoverage)
		for r := rune(0x20); r < 0x10000; r++ {
			if r >= 0xD800 && r <= 0xDFFF { // surrogates are not characters
				continue
			}
			in := true
			for _, f := range faces {
				if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
					in = false
					break
				}
			}
			if in {
				c[r>>6] |= 1 << (r & 63)
			}
		}
		coverage = c
	})
	return coverage, coverageErr
}

// has reports whether the embedded fonts draw r.
func (c *pdfCoverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r>>6]&(1<<(r&63)) != 0
}

// printable turns text into what the PDF prints: line breaks stay, other control
// characters become spaces, a character the fonts draw stays as it is, and any
// other character (emoji, scripts the fonts lack, anything outside the Basic
// Multilingual Plane) is written as its code point, [U+1F947] — never dropped,
// never a silent '?'.
func (c *pdfCoverage) printable(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != '\n' && (isControl(r) || !c.has(r) || n == 1 && r == utf8.RuneError) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case isControl(r):
			b.WriteByte(' ')
		case c.has(r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "[U+%04X]", r)
		}
	}
	return b.String()
}

// isControl reports whether r is a C0 or C1 control character (or DEL).
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }
