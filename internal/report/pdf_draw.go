package report

import (
	"strings"
)

// pcol is a PDF table column: a title, a width in millimetres, and whether its
// cells are right-aligned (numbers).
type pcol struct {
	title string
	w     float64
	right bool
}

// cols builds columns from title/width pairs; a title ending in '>' is right-aligned.
func cols(spec ...any) []pcol {
	out := make([]pcol, 0, len(spec)/2)
	for i := 0; i+1 < len(spec); i += 2 {
		title := spec[i].(string)
		right := strings.HasSuffix(title, ">")
		out = append(out, pcol{title: strings.TrimSuffix(title, ">"), w: spec[i+1].(float64), right: right})
	}
	return out
}

// table draws rows under a header that is repeated on every page the table runs
// onto. Cells wrap (pdfDoc.wrap) and are never cut: a row that does not fit below
// the previous one starts a new page, and a row taller than a whole page runs on
// over as many pages as it needs, the header repeated above each part.
func (d *pdfDoc) table(cs []pcol, rows [][]string, size float64) {
	f := d.f
	lh := pdfLineH * size / pdfTableFont
	d.font("B", size)
	titles := make([][]string, len(cs))
	for i, c := range cs {
		titles[i] = d.wrap(d.t(c.title), c.w)
	}
	headH := float64(maxLines(titles))*lh + 2*pdfCellPad
	header := func() {
		d.need(headH + lh + 2*pdfCellPad)
		d.font("B", size)
		d.colour(pdfInk)
		y := f.GetY()
		f.SetFillColor(pdfShade[0], pdfShade[1], pdfShade[2])
		f.Rect(pdfMargin, y, sumWidths(cs), headH, "F")
		d.cells(cs, titles, 0, maxLines(titles), pdfMargin, y, lh)
		f.SetY(y + headH)
		d.font("", size)
	}
	// room is how many lines fit between the current position and the footer.
	room := func() int {
		_, ph := f.GetPageSize()
		return int((ph - pdfBottom - f.GetY() - 2*pdfCellPad) / lh)
	}
	header()
	lines := make([][]string, len(cs))
	for _, row := range rows {
		for i, c := range cs {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			lines[i] = d.wrap(d.t(v), c.w)
		}
		n := maxLines(lines)
		if n > room() {
			// A row that fits on a page of its own starts on one; a longer row starts
			// here unless barely a line of it would.
			_, ph := f.GetPageSize()
			fresh := int((ph - pdfBottom - pdfMargin - headH - 2*pdfCellPad) / lh)
			if n <= fresh || room() < 3 {
				d.newPage()
				header()
			}
		}
		for from := 0; from < n; {
			take := min(n-from, max(room(), 1))
			d.colour(pdfInk)
			y := f.GetY()
			d.cells(cs, lines, from, take, pdfMargin, y, lh)
			f.SetDrawColor(pdfRule[0], pdfRule[1], pdfRule[2])
			f.SetLineWidth(0.15)
			h := float64(take)*lh + 2*pdfCellPad
			f.Line(pdfMargin, y+h, pdfMargin+sumWidths(cs), y+h)
			f.SetY(y + h)
			if from += take; from < n {
				d.newPage()
				header()
			}
		}
	}
	f.Ln(3)
}

// maxLines is the number of lines of the tallest cell of a row, at least one.
func maxLines(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// cells writes lines from to from+n of each cell of a table row.
func (d *pdfDoc) cells(cs []pcol, lines [][]string, from, n int, x, y, lh float64) {
	f := d.f
	for i, c := range cs {
		align := "L"
		if c.right {
			align = "R"
		}
		for j := from; j < min(from+n, len(lines[i])); j++ {
			f.SetXY(x, y+pdfCellPad+float64(j-from)*lh)
			f.CellFormat(c.w, lh, lines[i][j], "", 0, align, false, 0, "")
		}
		x += c.w
	}
}

func sumWidths(cs []pcol) float64 {
	w := 0.0
	for _, c := range cs {
		w += c.w
	}
	return w
}

// chartHeight is the height a chart takes at width w, caption included.
func chartHeight(c chart, w float64) float64 { return 7 + c.H*w/c.W }

// drawChart draws a chart's shapes scaled to width w at (x, y), under its caption.
func (d *pdfDoc) drawChart(c chart, x, y, w float64) {
	f := d.f
	d.font("B", 9.5)
	d.colour(pdfInk)
	f.SetXY(x, y)
	f.CellFormat(w, 6, d.t(c.Title), "", 0, "L", false, 0, "")
	y += 7
	k := w / c.W
	for _, s := range c.Shapes {
		rgb := chartColours[s.Class]
		switch s.Kind {
		case rectShape:
			if s.H <= 0 || s.W <= 0 {
				continue
			}
			f.SetFillColor(rgb[0], rgb[1], rgb[2])
			f.Rect(x+s.X*k, y+s.Y*k, s.W*k, s.H*k, "F")
		case lineShape:
			f.SetDrawColor(rgb[0], rgb[1], rgb[2])
			f.SetLineWidth(0.2)
			f.Line(x+s.X*k, y+s.Y*k, x+(s.X+s.W)*k, y+(s.Y+s.H)*k)
		case textShape:
			d.font("", s.Size*k*pdfPtPerMM)
			d.colour(rgb)
			text := d.t(s.Text)
			tx := x + s.X*k
			switch s.Anchor {
			case "middle":
				tx -= f.GetStringWidth(text) / 2
			case "end":
				tx -= f.GetStringWidth(text)
			}
			ax, ay := x+s.X*k, y+s.Y*k
			if s.Rotate != 0 {
				// fpdf turns counter-clockwise on the page, whose y runs down as the chart's does.
				f.TransformBegin()
				f.TransformRotate(-s.Rotate, ax, ay)
				f.Text(tx, ay, text)
				f.TransformEnd()
				continue
			}
			f.Text(tx, ay, text)
		}
	}
}

// charts draws charts two to a row.
func (d *pdfDoc) charts(cs []chart) {
	f := d.f
	for i := 0; i < len(cs); i += 2 {
		h := chartHeight(cs[i], pdfChartW)
		d.need(h + 4)
		y := f.GetY()
		d.drawChart(cs[i], pdfMargin, y, pdfChartW)
		if i+1 < len(cs) {
			h = max(h, chartHeight(cs[i+1], pdfChartW))
			d.drawChart(cs[i+1], pdfMargin+pdfChartW+pdfChartGap, y, pdfChartW)
		}
		f.SetXY(pdfMargin, y+h+4)
	}
}
