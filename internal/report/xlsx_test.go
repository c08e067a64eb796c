package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	s := testSnapshot()
	b, err := Render(s, "xlsx")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Weakest links", "Suppliers", "Exposure matrix", "Assessments", "Incidents", "Expiring", "Accepted risks", "Changes"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	heads := map[string]string{"Summary": "Measure", "Weakest links": "Rank", "Suppliers": "Supplier", "Exposure matrix": "Supplier",
		"Assessments": "Kind", "Incidents": "Supplier", "Expiring": "Kind", "Accepted risks": "Supplier", "Changes": "Change"}
	for _, name := range want {
		rows, err := f.GetRows(name)
		if err != nil || len(rows) == 0 {
			t.Errorf("%s: no header row (%v)", name, err)
			continue
		}
		if rows[0][0] != heads[name] {
			t.Errorf("%s: header starts %q, want %q", name, rows[0][0], heads[name])
		}
		style, _ := f.GetCellStyle(name, "A1")
		if st, _ := f.GetStyle(style); st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header is not bold", name)
		}
		panes, _ := f.GetPanes(name)
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v", name, panes)
		}
	}

	filters := map[string]bool{}
	names := f.GetDefinedName()
	for _, dn := range names {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters[dn.Scope] = true
		}
	}
	for _, name := range want {
		if !filters[name] {
			t.Errorf("%s: no autofilter (defined names %+v)", name, names)
		}
	}

	// Suppliers: the formula-looking name is text with an apostrophe in front, and
	// numbers are numbers.
	rows, _ := f.GetRows("Suppliers")
	if len(rows) != len(s.Suppliers)+1 {
		t.Fatalf("Suppliers has %d rows, want %d", len(rows), len(s.Suppliers)+1)
	}
	found := false
	for i, r := range rows {
		if r[0] == "'"+formulaName {
			found = true
			cell := "A" + itoaCell(i+1)
			if formula, _ := f.GetCellFormula("Suppliers", cell); formula != "" {
				t.Errorf("%s holds a formula %q", cell, formula)
			}
		}
	}
	if !found {
		t.Errorf("formula name not stored neutralised")
	}
	if v, _ := f.GetCellValue("Suppliers", "I2"); v != "no" {
		t.Errorf("Quayside posture provisional = %q, want no", v)
	}
	if v, _ := f.GetCellValue("Suppliers", "I4"); v != "yes" {
		t.Errorf("Brûlée posture provisional = %q, want yes", v)
	}
	if v, _ := f.GetCellValue("Suppliers", "F2"); v != "critical" {
		t.Errorf("Quayside inherent tier = %q", v)
	}
	if typ, _ := f.GetCellType("Suppliers", "G2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("Inherent is not a number cell: %v", typ)
	}
	if v, _ := f.GetCellValue("Suppliers", "G2", excelize.Options{RawCellValue: true}); v != "82.5" {
		t.Errorf("Quayside inherent = %q", v)
	}
	if v, _ := f.GetCellValue("Suppliers", "Q2"); v != "2026-10-14" {
		t.Errorf("last assessed = %q, want text YYYY-MM-DD", v)
	}
	// Records, then the people range as two number cells.
	for cell, want := range map[string]string{"L2": "600000", "M2": "300000", "N2": "300000"} {
		if v, _ := f.GetCellValue("Suppliers", cell, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("Quayside %s = %q, want %s", cell, v, want)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Created != "2026-12-31T17:45:00Z" || props.Modified != "2026-12-31T17:45:00Z" {
		t.Errorf("document times %+v (%v)", props, err)
	}
	// Every text cell of every sheet is neutralised.
	for _, name := range want {
		rows, _ := f.GetRows(name)
		for _, r := range rows {
			for _, c := range r {
				if c != "" && bytes.ContainsAny([]byte{c[0]}, "=+@\t\r") {
					t.Errorf("%s: cell %q starts a formula", name, c)
				}
			}
		}
	}
}

func itoaCell(n int) string {
	cell, _ := excelize.CoordinatesToCellName(1, n)
	return cell[1:]
}
