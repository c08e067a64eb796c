package report

import (
	"bytes"
	_ "embed"
	"html/template"
	"strings"
	"time"
)

// htmlSource is the page: one self-contained file (inline CSS and SVG, no scripts,
// and no URL but fragments, so opening it never touches the network) that reads
// on screen and prints on A4.
//
//go:embed report.html.tmpl
var htmlSource string

// htmlPage is parsed once; html/template escapes every value it prints.
var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":       num,
	"optNumOr":  optNumOr,
	"grouped":   grouped,
	"people":    peopleText,
	"peopleOf":  peopleOf,
	"groupedN":  func(n int) string { return grouped(int64(n)) },
	"stamp":     stamp,
	"day":       day,
	"yesNo":     yesNo,
	"dash":      orDash,
	"svgNum":    svgNum,
	"join":      func(v []string) string { return strings.Join(v, listSep) },
	"sectionID": sectionID,
	"ranking":   func() string { return rankingNote },
	"posture":   postureText,
	"anyProv":   anyProvisional,
	"provNote":  func() string { return provisionalNote },
	"codes":     breakableCodes,
	"stampCell": stampCell,
	"dict3": func(title, head string, counts []Count) countTable {
		return countTable{Title: title, Head: head, Counts: counts}
	},
	"recordsAt": func(r ExposureRow, from, i int) int64 { return r.recordsAt(from + i) },
	"cell": func(n int64) string {
		if n == 0 {
			return "–"
		}
		return grouped(n)
	},
}).Parse(htmlSource))

// htmlView is what the page template reads.
type htmlView struct {
	S        Snapshot
	Renderer string
	Sections []string
	CSS      template.CSS
	Charts   []chart
	Exposure []exposureChunk
	Cats     map[string]string
	// Timing is the note on when the snapshot was taken ("" for none) and
	// whether it is a warning; NoComparison says why there are no changes.
	Timing        string
	TimingWarning bool
	NoComparison  string
}

// countTable is one distribution of the portfolio summary.
type countTable struct {
	Title, Head string
	Counts      []Count
}

// CatNames spells category keys as names where the report knows them.
func (v htmlView) CatNames(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if n, ok := v.Cats[k]; ok {
			out[i] = n
		}
	}
	return strings.Join(out, listSep)
}

// IsRect reports whether the shape is a rectangle.
func (s shape) IsRect() bool { return s.Kind == rectShape }

// IsLine reports whether the shape is a line.
func (s shape) IsLine() bool { return s.Kind == lineShape }

// X2 is a line's end abscissa.
func (s shape) X2() float64 { return s.X + s.W }

// Y2 is a line's end ordinate.
func (s shape) Y2() float64 { return s.Y + s.H }

// breakableCodes escapes a list of codes (snake_case keys and flag codes) and lets
// a narrow cell break them after their underscores rather than anywhere.
func breakableCodes(s string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), "_", "_<wbr>"))
}

// stampCell shows an instant in a table cell as its UTC date and time, each kept
// whole: on one line where the column has room, else the time under the date.
func stampCell(t time.Time) template.HTML {
	v := stamp(t)
	date, clock, _ := strings.Cut(v, "T")
	return template.HTML(`<time datetime="` + template.HTMLEscapeString(v) + `"><span class="nw">` +
		template.HTMLEscapeString(date) + `</span> <span class="nw">` + template.HTMLEscapeString(clock) + `</span></time>`)
}

// sectionID is a section's fragment identifier, from its title.
func sectionID(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

func renderHTML(s Snapshot) ([]byte, error) {
	v := htmlView{S: s, Renderer: RendererVersion, Sections: sectionTitles, CSS: template.CSS(chartCSS()),
		Charts: reportCharts(s), Exposure: exposureChunks(s.Exposure), Cats: categoryNames(s), NoComparison: noComparison(s)}
	v.Timing, v.TimingWarning = timingNote(s)
	var b bytes.Buffer
	b.Grow(4096 + 600*len(s.Suppliers))
	if err := htmlPage.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
