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
// onto. A row never splits across pages; long cells wrap (up to pdfMaxLines).
func (d *pdfDoc) table(cs []pcol, rows [][]string, size float64) {
	f := d.f
	lh := pdfLineH * size / pdfTableFont
	header := func() {
		d.font("B", size)
		d.colour(pdfInk)
		lines := make([][][]byte, len(cs))
		n := 1
		for i, c := range cs {
			lines[i] = d.wrap(d.t(c.title), c.w)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 2*pdfCellPad
		d.need(h + lh + 2*pdfCellPad)
		x, y := pdfMargin, f.GetY()
		f.SetFillColor(pdfShade[0], pdfShade[1], pdfShade[2])
		f.Rect(x, y, sumWidths(cs), h, "F")
		d.cells(cs, lines, x, y, lh)
		f.SetY(y + h)
	}
	header()
	d.font("", size)
	lines := make([][][]byte, len(cs))
	for _, row := range rows {
		n := 1
		for i, c := range cs {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			lines[i] = d.wrap(d.t(v), c.w)
			if len(lines[i]) > pdfMaxLines {
				lines[i] = append(lines[i][:pdfMaxLines-1:pdfMaxLines-1], []byte("\x85"))
			}
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 2*pdfCellPad
		_, ph := f.GetPageSize()
		if f.GetY()+h > ph-pdfBottom {
			d.newPage()
			header()
			d.font("", size)
		}
		d.colour(pdfInk)
		y := f.GetY()
		d.cells(cs, lines, pdfMargin, y, lh)
		f.SetDrawColor(pdfRule[0], pdfRule[1], pdfRule[2])
		f.SetLineWidth(0.15)
		f.Line(pdfMargin, y+h, pdfMargin+sumWidths(cs), y+h)
		f.SetY(y + h)
	}
	f.Ln(3)
}

// wrap splits cp1252 text into lines that fit a cell of width w in the current
// font: at line breaks, then after spaces, underscores, hyphens, slashes and
// semicolons, and inside a word only when the word alone is too wide.
func (d *pdfDoc) wrap(s string, w float64) [][]byte {
	f := d.f
	room := w - 2*f.GetCellMargin()
	var out [][]byte
	for _, para := range strings.Split(s, "\n") {
		if f.GetStringWidth(para) <= room {
			out = append(out, []byte(para))
			continue
		}
		line := ""
		for len(para) > 0 {
			i := strings.IndexAny(para, " _-/;")
			tok := para
			if i >= 0 {
				tok = para[:i+1]
			}
			para = para[len(tok):]
			switch {
			case f.GetStringWidth(strings.TrimRight(line+tok, " ")) <= room:
				line += tok
			case f.GetStringWidth(strings.TrimRight(tok, " ")) <= room:
				out = append(out, []byte(strings.TrimRight(line, " ")))
				line = tok
			default: // a word wider than the cell: break it where it must
				for _, c := range []byte(tok) {
					if line != "" && f.GetStringWidth(line+string(c)) > room {
						out = append(out, []byte(strings.TrimRight(line, " ")))
						line = ""
					}
					line += string(c)
				}
			}
		}
		out = append(out, []byte(strings.TrimRight(line, " ")))
	}
	return out
}

// cells writes the wrapped lines of one table row.
func (d *pdfDoc) cells(cs []pcol, lines [][][]byte, x, y, lh float64) {
	f := d.f
	for i, c := range cs {
		align := "L"
		if c.right {
			align = "R"
		}
		for j, l := range lines[i] {
			f.SetXY(x, y+pdfCellPad+float64(j)*lh)
			f.CellFormat(c.w, lh, string(l), "", 0, align, false, 0, "")
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
