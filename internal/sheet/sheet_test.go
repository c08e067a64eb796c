package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestEscapeAndUnescape(t *testing.T) {
	cases := []struct{ in, escaped string }{
		{"Quayside Mail", "Quayside Mail"},
		{"", ""},
		{`=HYPERLINK("https://evil.example","click")`, `'=HYPERLINK("https://evil.example","click")`},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tTabbed", "'\tTabbed"},
		{"\rReturn", "'\rReturn"},
		{"'t Hooft", "''t Hooft"},
		{"'=already quoted", "''=already quoted"},
		{"'", "''"},
		{"a=b", "a=b"},
	}
	for _, tc := range cases {
		if got := Escape(tc.in); got != tc.escaped {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.escaped)
		}
		if got := Unescape(Escape(tc.in)); got != tc.in {
			t.Errorf("Unescape(Escape(%q)) = %q", tc.in, got)
		}
	}
	// What people type: an apostrophe before a formula character is dropped, any
	// other apostrophe is kept.
	for in, want := range map[string]string{"'=1+1": "=1+1", "'t Hooft": "'t Hooft", "O'Brien": "O'Brien", "'": "'"} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// tricky holds values that must survive a write and a read unchanged.
func tricky() [][]string {
	row := func(vals map[string]string) []string {
		out := make([]string, len(Columns))
		for k, v := range vals {
			out[Index(k)] = v
		}
		return out
	}
	return [][]string{
		row(map[string]string{"supplier_name": "Quayside Mail", "criticality": "high", "status": "active", "country": "GB",
			"breach_notification_hours": "24", "contract_start": "2024-01-01", "certifications": "iso27001:2027-06-30; soc2:A\\;B:2027-01-31",
			"category": "political_opinions", "data_subjects": "members; supporters", "record_count": "600000", "locations": "GB; US"}),
		row(map[string]string{"supplier_name": `=HYPERLINK("https://evil.example","click")`, "criticality": "low",
			"notes": "line one\nline two, with \"quotes\"", "services": "-minus first", "category": "health",
			"data_subjects": "@handles", "record_count": "0", "purpose": "'=kept apostrophe"}),
		row(map[string]string{"supplier_name": "Société Générale 日本", "criticality": "medium", "notes": "  spaced  ",
			"website": "+plus", "record_count": "1000000000000", "category": "contact_details", "data_subjects": "staff"}),
	}
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{CSV, XLSX} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, f, tricky()); err != nil {
				t.Fatal(err)
			}
			table, err := Read(bytes.NewReader(buf.Bytes()), f)
			if err != nil {
				t.Fatal(err)
			}
			for i := range Columns {
				if !table.Has(i) {
					t.Errorf("column %s not present", Columns[i].Name)
				}
			}
			if len(table.Rows) != len(tricky()) {
				t.Fatalf("%d rows, want %d", len(table.Rows), len(tricky()))
			}
			for i, r := range table.Rows {
				if r.Number != i+2 {
					t.Errorf("row %d numbered %d", i, r.Number)
				}
				if !reflect.DeepEqual(r.Cells, tricky()[i]) {
					t.Errorf("row %d:\n got %q\nwant %q", i, r.Cells, tricky()[i])
				}
			}
		})
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	for _, f := range []Format{CSV, XLSX} {
		var a, b bytes.Buffer
		if err := Write(&a, f, tricky()); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, f, tricky()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of the same rows differ", f)
		}
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, CSV, tricky()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFsupplier_name,criticality,") {
		t.Fatalf("CSV starts %q", out[:40])
	}
	for _, want := range []string{`"'=HYPERLINK(""https://evil.example"",""click"")"`, ",'-minus first,", ",'@handles,", ",'+plus,", `''=kept apostrophe`} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %s:\n%s", want, out)
		}
	}
}

func TestXLSXLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, tricky()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{DataSheet, InstructionsSheet}) {
		t.Fatalf("sheets %v", got)
	}
	panes, err := f.GetPanes(DataSheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
	}
	style, _ := f.GetCellStyle(DataSheet, "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v, %v: want bold", s, err)
	}
	names, _ := f.GetDefinedName(), 0
	found := false
	for _, n := range names {
		found = found || (n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, "$A$1:$V$4"))
	}
	if !found {
		t.Errorf("no autofilter over A1:V4 in %+v", names)
	}
	// Numbers are numbers; everything else is text, neutralised.
	for cell, want := range map[string]excelize.CellType{"P2": excelize.CellTypeUnset, "H2": excelize.CellTypeUnset, "A3": excelize.CellTypeInlineString} {
		// A cell without a type attribute holds a number.
		if got, _ := f.GetCellType(DataSheet, cell); got != want {
			t.Errorf("%s: type %v, want %v", cell, got, want)
		}
	}
	if v, _ := f.GetCellValue(DataSheet, "A3"); !strings.HasPrefix(v, "'=HYPERLINK") {
		t.Errorf("A3 = %q, want it neutralised", v)
	}
	if formula, _ := f.GetCellFormula(DataSheet, "A3"); formula != "" {
		t.Errorf("A3 has formula %q", formula)
	}
	instr, _ := f.GetRows(InstructionsSheet)
	text := fmt.Sprint(instr)
	for _, c := range Columns {
		if !strings.Contains(text, c.Name) || !strings.Contains(text, c.Description) {
			t.Errorf("instructions do not describe %s", c.Name)
		}
	}
}

func TestTemplateIsHeaderOnly(t *testing.T) {
	for _, f := range []Format{CSV, XLSX} {
		var buf bytes.Buffer
		if err := Write(&buf, f, nil); err != nil {
			t.Fatal(err)
		}
		table, err := Read(&buf, f)
		if err != nil || len(table.Rows) != 0 || !table.Has(0) || !table.Has(len(Columns)-1) {
			t.Errorf("%s template reads back as %+v, %v", f, table, err)
		}
	}
}

func TestHeaderMatching(t *testing.T) {
	cases := []struct {
		name  string
		csv   string
		probs string // Problems.Error(), or "" when the file is accepted
		check func(t *testing.T, tb Table)
	}{
		{"any order and case, spaces for underscores", "Criticality, Supplier Name ,RECORD-COUNT,category\nhigh,Quayside,5,health\n", "",
			func(t *testing.T, tb Table) {
				r := tb.Rows[0]
				if r.Cells[Index("supplier_name")] != "Quayside" || r.Cells[Index("criticality")] != "high" || r.Cells[Index("record_count")] != "5" {
					t.Errorf("cells %q", r.Cells)
				}
				if tb.Has(Index("country")) || !tb.Has(Index("category")) {
					t.Errorf("present %v", tb.Present)
				}
			}},
		{"semicolon separated with a byte-order mark", "\uFEFFsupplier_name;criticality\r\nQuayside;high\r\n", "",
			func(t *testing.T, tb Table) {
				if tb.Rows[0].Cells[1] != "high" {
					t.Errorf("cells %q", tb.Rows[0].Cells)
				}
			}},
		{"blank rows are skipped but keep their numbers", "\nsupplier_name\n\nA\n , \nB\n", "",
			func(t *testing.T, tb Table) {
				if len(tb.Rows) != 2 || tb.Rows[0].Number != 4 || tb.Rows[1].Number != 6 {
					t.Errorf("rows %+v", tb.Rows)
				}
			}},
		{"a cell with line breaks is one row", "supplier_name,notes\nA,\"one\ntwo\nthree\"\n\nB,x\nC,\"\"\n", "",
			func(t *testing.T, tb Table) {
				if len(tb.Rows) != 3 || tb.Rows[0].Number != 2 || tb.Rows[1].Number != 4 || tb.Rows[2].Number != 5 ||
					tb.Rows[0].Cells[Index("notes")] != "one\ntwo\nthree" {
					t.Errorf("rows %+v", tb.Rows)
				}
			}},
		{"unknown column", "supplier_name,criticality,colour\n", "sheet: row 1, colour: is not a column of the import layout (see the template for the columns and what they hold)", nil},
		{"missing supplier_name", "name,criticality\n", "sheet: row 1, name: is not a column of the import layout (see the template for the columns and what they hold); row 1, supplier_name: is a required column and is missing from the header", nil},
		{"duplicate column", "supplier_name,Supplier_Name\n", "sheet: row 1, supplier_name: appears twice in the header", nil},
		{"holding columns without category", "supplier_name,record_count\n", "sheet: row 1, category: is required in the header when other data holding columns are there", nil},
		{"value under no header", "supplier_name,,\nA,,\nB,,x\nC,y\n", "sheet: row 3, column C: has a value but no column name in the header; row 4, column B: has a value but no column name in the header", nil},
		{"no header", "\n , \n", "sheet: has no header row: the first row must name the columns (see the template)", nil},
		{"bad quoting", "supplier_name\n\"A\"B\n", `sheet: row 2: is not valid CSV (line 2, column 3: extraneous or missing " in quoted-field)`, nil},
		{"not UTF-8", "supplier_name\nSoci\xe9t\xe9\n", "sheet: row 2: is not UTF-8 text: save the file as CSV UTF-8", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := Read(strings.NewReader(tc.csv), CSV)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.probs {
				t.Fatalf("error\n got %s\nwant %s", got, tc.probs)
			}
			if err == nil && tc.check != nil {
				tc.check(t, tb)
			}
		})
	}
}

func TestTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("supplier_name\n")
	for i := 0; i <= MaxRows; i++ {
		b.WriteString("s\n")
	}
	_, err := Read(strings.NewReader(b.String()), CSV)
	var p Problems
	if !errors.As(err, &p) || !strings.Contains(p[0].Message, "more than 100000 data rows") {
		t.Fatalf("err %v", err)
	}
}

func TestXLSXReading(t *testing.T) {
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"Supplier_Name", "contract_start", "record_count", "category", "data_subjects"}))
	must(f.SetSheetRow("Sheet1", "A2", &[]any{"Typed in Excel", 45658, 600000, "health", "patients"}))
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(f.SetCellStyle("Sheet1", "B2", "B2", dateStyle))
	// A formula is never evaluated: the cell reads as its stored value (none here).
	must(f.SetCellFormula("Sheet1", "A4", "CONCAT(\"Evil\",\"Corp\")"))
	must(f.SetCellValue("Sheet1", "C4", "7"))
	must(f.SetCellValue("Sheet1", "A5", "'=1+1"))
	var buf bytes.Buffer
	must(f.Write(&buf))

	tb, err := Read(&buf, XLSX)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 3 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	got := func(r int, col string) string { return tb.Rows[r].Cells[Index(col)] }
	if got(0, "contract_start") != "2025-01-01" || got(0, "record_count") != "600000" || tb.Rows[0].Number != 2 {
		t.Errorf("row 2: %q", tb.Rows[0].Cells)
	}
	if got(1, "supplier_name") != "" || tb.Rows[1].Number != 4 {
		t.Errorf("formula row: %+v", tb.Rows[1])
	}
	if got(2, "supplier_name") != "=1+1" {
		t.Errorf("quoted formula: %q", got(2, "supplier_name"))
	}

	if _, err := Read(strings.NewReader("supplier_name\nA\n"), XLSX); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("CSV read as XLSX: %v", err)
	}
}

// docs/imports.md documents every column of the layout, in order.
func TestDocsListEveryColumn(t *testing.T) {
	raw, err := os.ReadFile("../../docs/imports.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, at := string(raw), 0
	for _, c := range Columns {
		i := strings.Index(doc[at:], "| `"+c.Name+"` | ")
		if i < 0 {
			t.Fatalf("docs/imports.md does not list the column %s (after the previous one)", c.Name)
		}
		at += i
	}
}

func TestXLSXDecompressedSizeIsBounded(t *testing.T) {
	rows := make([][]string, 2000)
	for i := range rows {
		rows[i] = make([]string, len(Columns))
		rows[i][0] = strings.Repeat("x", 200)
	}
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, rows); err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { maxUnzipped = old }(maxUnzipped)
	maxUnzipped = 64 << 10
	_, err := Read(&buf, XLSX)
	var p Problems
	if !errors.As(err, &p) || !strings.Contains(p[0].Message, "once decompressed") {
		t.Fatalf("err %v", err)
	}
}
