package report

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/internal/sheet"
)

// xlsxTable is one sheet of the workbook: a header row and rows of cells. A cell
// is a string (written as neutralised text), an int, int64 or float64 (a number),
// or nil (empty).
type xlsxTable struct {
	Name   string
	Header []string
	Rows   [][]any
}

// renderXLSX writes one sheet per section. Sheets are written cell by cell, not
// streamed: excelize writes the parts of a workbook it holds in memory in sorted
// order, so the same snapshot gives the same bytes.
func renderXLSX(s Snapshot) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	at := stamp(s.AsOf)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "weaklink", LastModifiedBy: "weaklink", Created: at, Modified: at,
		Title:       fmt.Sprintf("weaklink quarterly supplier risk report %s r%d", s.Quarter, s.Revision),
		Subject:     "Quarterly supplier risk report",
		Description: fmt.Sprintf("As of %s; renderer %s; methodology %s", at, RendererVersion, s.Methodology),
	}); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return nil, err
	}
	for i, t := range xlsxTables(s) {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err == nil {
			err = writeXLSXTable(f, t, bold)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeXLSXTable(f *excelize.File, t xlsxTable, bold int) error {
	widths := make([]int, len(t.Header))
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = sheet.Escape(h)
		widths[i] = utf8.RuneCountInString(h) + 2
	}
	if err := f.SetSheetRow(t.Name, "A1", &head); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Header), 1)
	if err := f.SetCellStyle(t.Name, "A1", last, bold); err != nil {
		return err
	}
	row := make([]any, len(t.Header))
	for r, cells := range t.Rows {
		for i := range row {
			row[i] = nil
			if i >= len(cells) {
				continue
			}
			switch v := cells[i].(type) {
			case string:
				row[i] = sheet.Escape(v)
				widths[i] = max(widths[i], min(60, utf8.RuneCountInString(v)+2))
			case int, int64, float64:
				row[i] = v
				widths[i] = max(widths[i], 12)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(t.Name, cell, &row); err != nil {
			return err
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(t.Name, col, col, float64(w)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(t.Header), max(1, len(t.Rows)+1))
	return f.AutoFilter(t.Name, "A1:"+end, nil)
}

// optCell is an optional score as a number cell, or an empty cell.
func optCell(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// emptyNil leaves an empty text cell empty.
func emptyNil(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// xlsxTables are the workbook's sheets, in order.
func xlsxTables(s Snapshot) []xlsxTable {
	supplierHead := []string{"Supplier", "Status", "Criticality", "Country", "Tier", "Inherent tier", "Inherent", "Posture",
		"Posture provisional", "Effective posture (chain)", "Residual", "Records", "People at least", "People at most", "Categories", "Flags", "Last assessed", "Next reassessment due", "Supplier ID"}
	supplierRow := func(l SupplierLine) []any {
		least, most := peopleCells(l.Records, l.People)
		return []any{l.Name, l.Status, l.Criticality, l.Country, l.Tier, l.InherentTier, l.Inherent, optCell(l.Posture), yesNo(l.Posture != nil && l.PostureProvisional),
			optCell(l.EffectivePosture), l.Residual, l.Records, least, most, strings.Join(l.Categories, listSep), flagCodes(l.Flags),
			emptyNil(l.LastAssessed), emptyNil(l.nextDue()), l.ID}
	}
	weak := xlsxTable{Name: "Weakest links", Header: append([]string{"Rank"}, append(supplierHead, "Flag details")...)}
	for _, l := range s.WeakLinks {
		details := make([]string, len(l.Flags))
		for i, fl := range l.Flags {
			details[i] = fmt.Sprintf("%s (%s): %s", fl.Code, fl.Severity, fl.Message)
			if fl.Accepted {
				details[i] += " (accepted)"
			}
		}
		weak.Rows = append(weak.Rows, append(append([]any{l.Rank}, supplierRow(l)...), strings.Join(details, "\n")))
	}
	suppliers := xlsxTable{Name: "Suppliers", Header: supplierHead}
	for _, l := range s.Suppliers {
		suppliers.Rows = append(suppliers.Rows, supplierRow(l))
	}
	return []xlsxTable{summaryTable(s), weak, suppliers, exposureTable(s.Exposure), assessmentsTable(s.Assessments),
		incidentsTable(s), expiringTable(s.Expiring), acceptedTable(s.Accepted), changesTable(s.Changes, noComparison(s))}
}

func summaryTable(s Snapshot) xlsxTable {
	t := xlsxTable{Name: "Summary", Header: []string{"Measure", "Key", "Value", "Records", "Note"}}
	add := func(cells ...any) { t.Rows = append(t.Rows, cells) }
	add("report", "quarter", s.Quarter, nil, fmt.Sprintf("%s to %s", s.QuarterStart, s.QuarterEnd))
	add("report", "revision", s.Revision)
	add("report", "as_of", stamp(s.AsOf))
	add("report", "generated_by", s.GeneratedBy)
	add("report", "methodology", s.Methodology)
	add("report", "renderer", RendererVersion)
	add("report", "audit_head_seq", s.AuditHeadSeq)
	add("report", "audit_head_hash", s.AuditHeadHash)
	add("report", "id", s.ID)
	if note, warning := timingNote(s); warning {
		add("report", "warning", note)
	} else if note != "" {
		add("report", "note", note)
	}
	if s.Changes != nil {
		add("report", "previous_quarter", s.Changes.PreviousQuarter, nil, s.Changes.PreviousID)
	} else {
		add("report", "previous_quarter", nil, nil, noComparison(s))
	}
	add("suppliers", "total", s.Summary.Suppliers, s.Summary.Records)
	least, most := peopleCells(s.Summary.Records, s.Summary.People)
	add("people", "at_least", least, nil, "the people the records held are about: at least")
	add("people", "at_most", most, nil, "and at most")
	for _, g := range []struct {
		measure string
		counts  []Count
	}{{"status", s.Summary.ByStatus}, {"tier", s.Summary.ByTier}, {"criticality", s.Summary.ByCriticality},
		{"posture", s.Summary.PostureHistogram}} {
		for _, c := range g.counts {
			add(g.measure, c.Key, c.Count)
		}
	}
	for _, c := range s.Summary.ByCategory {
		note := c.Name
		if c.SpecialCategory {
			note += " (special category)"
		}
		add("category", c.Key, c.Suppliers, c.Records, fmt.Sprintf("%s; people %s", note, peopleOf(c.Records, c.People)))
	}
	add("special_category", "suppliers", s.Summary.SpecialCategorySuppliers, s.Summary.SpecialCategoryRecords)
	add("flagged", "suppliers", s.Summary.FlaggedSuppliers, nil, "with at least one unaccepted flag")
	postureBands := [6]string{"0-19", "20-39", "40-59", "60-79", "80-100", "unassessed"}
	for band := 4; band >= 0; band-- {
		for j, p := range postureBands {
			add("heatmap", fmt.Sprintf("inherent %s / posture %s", postureBands[band], p), s.Summary.Heatmap[band][j])
		}
	}
	for _, p := range s.Trend {
		add("trend", p.Quarter, p.FlaggedSuppliers, nil, "flagged suppliers")
	}
	return t
}

func exposureTable(m ExposureMatrix) xlsxTable {
	t := xlsxTable{Name: "Exposure matrix", Header: []string{"Supplier"}}
	for _, c := range m.Categories {
		name := c.Name
		if c.SpecialCategory {
			name += " (special)"
		}
		t.Header = append(t.Header, name)
	}
	for _, r := range m.Rows {
		cells := []any{r.Name}
		for i := range m.Categories {
			cells = append(cells, r.recordsAt(i))
		}
		t.Rows = append(t.Rows, cells)
	}
	total, people := []any{"Total records"}, []any{"People"}
	for _, c := range m.Categories {
		total = append(total, c.Records)
		people = append(people, peopleOf(c.Records, c.People))
	}
	t.Rows = append(t.Rows, total, people)
	return t
}

func assessmentsTable(a AssessmentsSection) xlsxTable {
	t := xlsxTable{Name: "Assessments", Header: []string{"Kind", "Supplier", "Date", "Status", "Score", "Inherent tier"}}
	for _, l := range a.Completed {
		t.Rows = append(t.Rows, []any{"completed", l.Name, l.SubmittedOn, l.Status, optCell(l.Score)})
	}
	for _, l := range a.Overdue {
		t.Rows = append(t.Rows, []any{"overdue", l.Name, l.DueOn, nil, nil, l.Tier})
	}
	for _, l := range a.NeverAssessed {
		t.Rows = append(t.Rows, []any{"never assessed", l.Name})
	}
	return t
}

func incidentsTable(s Snapshot) xlsxTable {
	t := xlsxTable{Name: "Incidents", Header: []string{"Supplier", "Summary", "Status", "Aware at", "Regulator deadline",
		"Regulator notified at", "Records", "People at least", "People at most", "Special category", "Categories", "Subprocessors"}}
	for _, in := range s.Incidents {
		var notified any
		if in.RegulatorNotifiedAt != nil {
			notified = stamp(*in.RegulatorNotifiedAt)
		}
		inLeast, inMost := peopleCells(in.Records, in.People)
		t.Rows = append(t.Rows, []any{in.SupplierName, in.Summary, in.Status, stamp(in.AwareAt), stamp(in.RegulatorDeadline),
			notified, in.Records, inLeast, inMost, yesNo(in.SpecialCategory), strings.Join(in.Categories, listSep), strings.Join(in.Subprocessors, listSep)})
	}
	return t
}

func expiringTable(e ExpiringSection) xlsxTable {
	t := xlsxTable{Name: "Expiring", Header: []string{"Kind", "Supplier", "What", "On"}}
	for _, x := range e.Contracts {
		t.Rows = append(t.Rows, []any{"contract", x.Name, x.What, x.On})
	}
	for _, x := range e.Certifications {
		t.Rows = append(t.Rows, []any{"certification", x.Name, x.What, x.On})
	}
	return t
}

func acceptedTable(a []AcceptedRisk) xlsxTable {
	t := xlsxTable{Name: "Accepted risks", Header: []string{"Supplier", "Flag", "Reason", "Expires"}}
	for _, r := range a {
		t.Rows = append(t.Rows, []any{r.Name, r.Flag, r.Reason, day(r.ExpiresAt)})
	}
	return t
}

func changesTable(c *Changes, none string) xlsxTable {
	t := xlsxTable{Name: "Changes", Header: []string{"Change", "Supplier", "Flag", "Tier from", "Tier to",
		"Posture from", "Posture to", "Posture drop"}}
	if c == nil {
		t.Rows = append(t.Rows, []any{"nothing to compare with", none})
		return t
	}
	for _, r := range c.NewSuppliers {
		t.Rows = append(t.Rows, []any{"new supplier", r.Name})
	}
	for _, r := range c.ExitedSuppliers {
		t.Rows = append(t.Rows, []any{"exited supplier", r.Name})
	}
	for _, m := range c.TierMoves {
		t.Rows = append(t.Rows, []any{"tier move", m.Name, nil, m.From, m.To})
	}
	for _, d := range c.PostureDrops {
		t.Rows = append(t.Rows, []any{"posture drop", d.Name, nil, nil, nil, d.From, d.To, d.Drop})
	}
	for _, fl := range c.NewFlags {
		t.Rows = append(t.Rows, []any{"new flag", fl.Name, fl.Code})
	}
	for _, fl := range c.ResolvedFlags {
		t.Rows = append(t.Rows, []any{"resolved flag", fl.Name, fl.Code})
	}
	return t
}
