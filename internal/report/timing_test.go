package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// renderedText is what a reader of each format sees, as text: the JSON file, the
// HTML page, the PDF's text (pdftotext), every cell of the workbook and the CSV's
// cells.
func renderedText(t *testing.T, s Snapshot) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, format := range Formats {
		b, err := Render(s, format)
		if err != nil {
			t.Fatal(err)
		}
		switch format {
		case "pdf":
			out[format] = strings.Join(strings.Fields(pdfText(t, tool(t, "pdftotext"), b)), " ")
		case "xlsx":
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					cells = append(cells, r...)
				}
			}
			_ = f.Close()
			out[format] = strings.Join(cells, "\n")
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, r := range rows {
				cells = append(cells, r...)
			}
			out[format] = strings.Join(cells, "\n")
		default:
			out[format] = string(b)
		}
	}
	return out
}

// A report taken after its quarter ended says so, in the same words, in every
// format; a mislabelled one carries a warning instead; one taken during its
// quarter carries neither.
func TestTimingNoteInEveryFormat(t *testing.T) {
	late := testSnapshot()
	late.AsOf, late.DaysAfterQuarterEnd = at("2027-01-12T10:00:00Z"), 12
	wrong := testSnapshot()
	wrong.Quarter, wrong.QuarterStart, wrong.QuarterEnd = "2026-Q3", "2026-07-01", "2026-09-30"
	wrong.AsOf, wrong.DaysAfterQuarterEnd, wrong.Mislabelled = at("2026-11-30T09:00:00Z"), 61, true
	for _, tc := range []struct {
		name    string
		s       Snapshot
		want    string
		wantNot string
	}{
		{"during the quarter", testSnapshot(), "", "Generated on"},
		{"12 days late", late, "Generated on 12 January 2027, 12 days after the quarter ended: it describes the register as it stood then.", "mislabelled"},
		{"mislabelled", wrong, "Warning: mislabelled. Generated on 30 November 2026, 61 days after 2026-Q3 ended: it describes " +
			"the register as it stood then, not during 2026-Q3, and no later report compares with it.", "Generated on 30 November 2026, 61 days after the quarter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for format, text := range renderedText(t, tc.s) {
				if format == "json" {
					var back Snapshot
					if err := json.Unmarshal([]byte(text), &back); err != nil || back.Mislabelled != tc.s.Mislabelled ||
						back.DaysAfterQuarterEnd != tc.s.DaysAfterQuarterEnd {
						t.Errorf("json: mislabelled %v, days %d (%v)", back.Mislabelled, back.DaysAfterQuarterEnd, err)
					}
					continue
				}
				if tc.want != "" && !strings.Contains(text, tc.want) {
					t.Errorf("%s lacks %q", format, tc.want)
				}
				if strings.Contains(text, tc.wantNot) {
					t.Errorf("%s shows %q", format, tc.wantNot)
				}
			}
		})
	}
}

// Every page of a mislabelled report's PDF but the cover warns in its footer.
func TestMislabelledPDFWarnsOnEveryPage(t *testing.T) {
	s := testSnapshot()
	s.DaysAfterQuarterEnd, s.Mislabelled = 40, true
	b, err := Render(s, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, tool(t, "pdftotext"), b)
	pages := strings.Split(text, "\f")
	for i, p := range pages[1 : len(pages)-1] { // pdftotext ends with a form feed
		if !strings.Contains(p, "MISLABELLED (see the cover) · weaklink 2026-Q4 r1") {
			t.Errorf("page %d has no warning in its footer", i+2)
		}
	}
	if len(pages) < 5 {
		t.Fatalf("%d pages", len(pages))
	}
}

// Without a previous report, every format with a changes section says why, in
// the snapshot's words.
func TestNoComparisonSaidPlainly(t *testing.T) {
	s := testSnapshot()
	s.Changes, s.NoComparison = nil, "No report of 2026-Q3 is stored: nothing to compare with."
	for format, text := range renderedText(t, s) {
		if format == "csv" { // suppliers only
			continue
		}
		if !strings.Contains(text, s.NoComparison) {
			t.Errorf("%s lacks %q", format, s.NoComparison)
		}
	}
}
