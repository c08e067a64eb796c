package report

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// PDF layout, in millimetres on A4.
const (
	pdfMargin    = 15.0
	pdfBottom    = 20.0 // space kept for the footer
	pdfTOCPage   = 2
	pdfLineH     = 3.8 // table text line height at 8 pt
	pdfCellPad   = 0.9
	pdfChartW    = 86.0
	pdfChartGap  = 8.0
	pdfPtPerMM   = 72 / 25.4
	pdfTableFont = 8.0
	// pdfPagesAlias stands for the page count until the document is closed. It
	// holds control characters, which t never lets through from the snapshot, so
	// no name can be mistaken for it.
	pdfPagesAlias = "\x01nb\x01"
)

// pdfDoc is one PDF being written. Text from the snapshot goes through t, which
// spells out the characters the embedded fonts cannot draw.
type pdfDoc struct {
	f         *fpdf.Fpdf
	s         Snapshot
	cov       *pdfCoverage
	landscape bool
	sections  []pdfSection
}

// pdfSection is where a section starts, for the table of contents.
type pdfSection struct {
	title string
	page  int
	link  int
}

// renderPDF writes a title page, a table of contents (filled in last, once the
// sections' pages are known), and the sections. Every varying input of the
// file is fixed: creation and modification dates are the snapshot's as-of time,
// resource catalogues are sorted, no document ID is written, and compression is
// deterministic.
func renderPDF(s Snapshot) ([]byte, error) {
	cov, err := pdfFontCoverage()
	if err != nil {
		return nil, err
	}
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, s: s, cov: cov}
	at := s.AsOf.UTC()
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCatalogSort(true)
	f.SetProducer("weaklink report renderer "+RendererVersion, true)
	f.SetCreator("weaklink", true)
	f.SetAuthor(s.GeneratedBy, true)
	f.SetTitle(fmt.Sprintf("weaklink quarterly supplier risk report %s r%d", s.Quarter, s.Revision), true)
	f.SetSubject("Quarterly supplier risk report", true)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetCellMargin(1)
	f.SetAutoPageBreak(true, pdfBottom)
	f.AliasNbPages(pdfPagesAlias)
	addPDFFonts(f)
	f.SetFooterFunc(d.footer)

	d.titlePage()
	f.AddPage() // the table of contents, written at the end
	for _, sec := range []struct {
		title     string
		landscape bool
		body      func()
	}{
		{titleSummary, false, d.summary},
		{titleWeakLinks, false, d.weakLinks},
		{titleExposure, false, d.exposure},
		{titleAssessments, false, d.assessments},
		{titleIncidents, false, d.incidents},
		{titleExpiring, false, d.expiring},
		{titleAccepted, false, d.accepted},
		{titleChanges, false, d.changes},
		{titleAppendix, true, d.appendix},
	} {
		d.landscape = sec.landscape
		d.newPage()
		d.heading(sec.title)
		sec.body()
	}
	// The colophon also makes the last page portrait, as the contents page is:
	// fpdf draws on an earlier page with the size of the last one.
	d.landscape = false
	d.newPage()
	d.about()
	d.contents()
	if err := f.Error(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// t turns text into what the PDF prints (pdfCoverage.printable): characters the
// embedded fonts lack are spelled out as [U+XXXX].
func (d *pdfDoc) t(s string) string { return d.cov.printable(s) }

func (d *pdfDoc) newPage() {
	if d.landscape {
		d.f.AddPageFormat("L", d.f.GetPageSizeStr("A4"))
	} else {
		d.f.AddPageFormat("P", d.f.GetPageSizeStr("A4"))
	}
}

// width is the usable width of the current page.
func (d *pdfDoc) width() float64 {
	w, _ := d.f.GetPageSize()
	return w - 2*pdfMargin
}

// need starts a new page unless h millimetres fit above the footer.
func (d *pdfDoc) need(h float64) {
	_, ph := d.f.GetPageSize()
	if d.f.GetY()+h > ph-pdfBottom {
		d.newPage()
	}
}

// font selects the report's typeface in a style ("" or "B"; "I", for which no face
// is embedded, prints in the regular one) and a size in points.
func (d *pdfDoc) font(style string, size float64) {
	if style != "B" {
		style = ""
	}
	d.f.SetFont(pdfFont, style, size)
}

func (d *pdfDoc) colour(rgb [3]int) { d.f.SetTextColor(rgb[0], rgb[1], rgb[2]) }

var (
	pdfInk   = [3]int{0x1a, 0x1a, 0x1a}
	pdfBlue  = [3]int{0x3b, 0x6e, 0xa5}
	pdfGrey  = [3]int{0x55, 0x55, 0x55}
	pdfShade = [3]int{0xee, 0xf2, 0xf7}
	pdfRule  = [3]int{0xd0, 0xd6, 0xde}
)

func (d *pdfDoc) footer() {
	f := d.f
	if f.PageNo() == 1 {
		return
	}
	f.SetY(-12)
	d.font("", 7.5)
	d.colour(pdfGrey)
	left := d.t(fmt.Sprintf("weaklink %s r%d · generated %s by %s", d.s.Quarter, d.s.Revision, stamp(d.s.AsOf), d.s.GeneratedBy))
	if d.s.Mislabelled { // on every page: a page copied alone still warns
		left = "MISLABELLED (see the cover) · " + left
	}
	right := "Page " + strconv.Itoa(f.PageNo()) + " of " + pdfPagesAlias
	w := d.width()
	left = d.fit(left, w-30)
	f.CellFormat(w-30, 4, left, "", 0, "L", false, 0, "")
	f.CellFormat(30, 4, right, "", 0, "R", false, 0, "")
}

// fit shortens printable text to a width in the current font, with an ellipsis
// in place of what it leaves out.
func (d *pdfDoc) fit(s string, w float64) string {
	if d.f.GetStringWidth(s) <= w {
		return s
	}
	for len(s) > 0 && d.f.GetStringWidth(s+"…") > w {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s + "…"
}
