package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/sheet"
)

// Section titles, in the order every rendering shows them.
const (
	titleSummary     = "Portfolio summary"
	titleWeakLinks   = "Weakest links"
	titleExposure    = "Exposure matrix"
	titleAssessments = "Assessments"
	titleIncidents   = "Incidents this quarter"
	titleExpiring    = "Expiring next quarter"
	titleAccepted    = "Accepted risks"
	titleChanges     = "Changes since the previous report"
	// titleAppendix lists every supplier: the sections above name only those that
	// stand out, and a reader of a printed report has no register to look the rest up in.
	titleAppendix = "Appendix: all suppliers"
)

// sectionTitles are the report's sections in order, the appendix last.
var sectionTitles = []string{titleSummary, titleWeakLinks, titleExposure, titleAssessments,
	titleIncidents, titleExpiring, titleAccepted, titleChanges, titleAppendix}

// Render returns the report in a format ("json", "html", "pdf", "xlsx", "csv").
// The same snapshot always gives identical bytes.
func Render(s Snapshot, format string) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	switch format {
	case "json":
		b, err = renderJSON(s)
	case "html":
		b, err = renderHTML(s)
	case "pdf":
		b, err = renderPDF(s)
	case "xlsx":
		b, err = renderXLSX(s)
	case "csv":
		b, err = renderCSV(s)
	default:
		return nil, fmt.Errorf("render report: unknown format %q", format)
	}
	if err != nil {
		return nil, fmt.Errorf("render report as %s: %w", format, err)
	}
	return b, nil
}

// ContentType gives the media type of a format ("" for an unknown format).
func ContentType(format string) string {
	switch format {
	case "json":
		return "application/json"
	case "html":
		return "text/html; charset=utf-8"
	case "pdf":
		return "application/pdf"
	case "xlsx":
		return sheet.XLSXMediaType
	case "csv":
		return sheet.CSVMediaType + "; charset=utf-8"
	}
	return ""
}

// FileName gives a download name like weaklink-2026-Q4-r1.pdf.
func FileName(s Snapshot, format string) string {
	// Only letters, digits and hyphens of the quarter: the name goes into a
	// Content-Disposition header.
	q := strings.Map(func(r rune) rune {
		if r == '-' || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') {
			return r
		}
		return -1
	}, s.Quarter)
	if q == "" {
		q = "report"
	}
	return fmt.Sprintf("weaklink-%s-r%d.%s", q, s.Revision, strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, format))
}

// Formatting shared by the renderers.

// num formats a score as stored (to the hundredth, no trailing zeros).
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// optNum formats an optional score; empty when there is none.
func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

// optNumOr formats an optional score, or none when there is none.
func optNumOr(v *float64, none string) string {
	if v == nil {
		return none
	}
	return num(*v)
}

// provisionalNote explains the mark beside a provisional posture (postureText).
const provisionalNote = "* Provisional: the posture comes from a submitted assessment that nobody has reviewed yet."

// postureText is a supplier's own posture as the tables print it: the figure, with
// "*" when it is provisional (see provisionalNote); none when there is no posture.
func postureText(l SupplierLine, none string) string {
	if l.Posture == nil {
		return none
	}
	if l.PostureProvisional {
		return num(*l.Posture) + "*"
	}
	return num(*l.Posture)
}

// anyProvisional reports whether a table of these lines needs provisionalNote.
func anyProvisional(ls []SupplierLine) bool {
	for _, l := range ls {
		if l.Posture != nil && l.PostureProvisional {
			return true
		}
	}
	return false
}

// grouped formats a whole number with thousands separators, for reading: the one
// formatter the methodology's messages use too.
var grouped = scoring.FormatCount

// stamp formats an instant as RFC 3339 in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// day formats an instant as its UTC date.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// rankingNote says how every table of suppliers is ordered: as GET /api/v1/weak-links ranks.
const rankingNote = "Ranked as the weak-links list ranks: residual risk (the figure shown), highest first; then the worst unaccepted flag's severity; then name. " +
	"Records and people are the supplier's data in care, held and received. " +
	"Effective (chain) is the lowest posture along the paths its data travels: information about the chain, never a ranking figure."

// listSep separates list items in one cell, as the register's spreadsheets do.
const listSep = "; "

// flagCodes lists a supplier's flag codes, accepted ones marked.
func flagCodes(fl []FlagLine) string {
	parts := make([]string, len(fl))
	for i, f := range fl {
		parts[i] = f.Code
		if f.Accepted {
			parts[i] += " (accepted)"
		}
	}
	return strings.Join(parts, listSep)
}

// yesNo spells a boolean for a table cell.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// orDash shows an empty value as a dash in a printed table.
func orDash(v string) string {
	if v == "" {
		return "–"
	}
	return v
}

// exposureChunk is a slice of the exposure matrix's columns: a printed page is
// only so wide, so a wide matrix is shown as several tables.
type exposureChunk struct {
	Categories []CategoryTotal
	From, To   int // column range in ExposureMatrix.Categories
}

// exposureColumns is how many category columns one printed exposure table holds.
const exposureColumns = 7

func exposureChunks(m ExposureMatrix) []exposureChunk {
	var out []exposureChunk
	for from := 0; from < len(m.Categories); from += exposureColumns {
		to := min(from+exposureColumns, len(m.Categories))
		out = append(out, exposureChunk{Categories: m.Categories[from:to], From: from, To: to})
	}
	return out
}

// recordsAt returns a row's records for a column, 0 when the row is short.
func (r ExposureRow) recordsAt(i int) int64 {
	if i < 0 || i >= len(r.Records) {
		return 0
	}
	return r.Records[i]
}

// categoryNames maps category keys to names, from the summary and the matrix.
func categoryNames(s Snapshot) map[string]string {
	m := map[string]string{}
	for _, c := range s.Summary.ByCategory {
		m[c.Key] = c.Name
	}
	for _, c := range s.Exposure.Categories {
		if _, ok := m[c.Key]; !ok {
			m[c.Key] = c.Name
		}
	}
	return m
}

// peopleOf writes the people some records are about, for reading: peopleText, or
// "not recorded" for a report stored before people were counted (records, but no
// people: a record is always about someone).
func peopleOf(records int64, p People) string {
	if !peopleRecorded(records, p) {
		return "not recorded"
	}
	return peopleText(p)
}

// peopleRecorded reports whether a snapshot counted the people behind records.
func peopleRecorded(records int64, p People) bool { return records == 0 || p.AtMost > 0 }

// peopleCells are the two bounds as spreadsheet cells, empty when not recorded.
func peopleCells(records int64, p People) (any, any) {
	if !peopleRecorded(records, p) {
		return nil, nil
	}
	return p.AtLeast, p.AtMost
}

// peopleText writes a people range for reading: "580,000" when both bounds agree,
// "580,000–600,000" when they do not.
func peopleText(p People) string {
	if p.AtLeast == p.AtMost {
		return grouped(p.AtLeast)
	}
	return grouped(p.AtLeast) + "–" + grouped(p.AtMost)
}
