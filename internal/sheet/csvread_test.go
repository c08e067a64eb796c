package sheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// lineBreaks are the three ways a cell can break a line; each must come back
// byte for byte from a CSV file (encoding/csv turned "\r\n" into "\n").
var lineBreaks = map[string]string{"CRLF": "\r\n", "CR": "\r", "LF": "\n"}

func TestCSVKeepsLineBreaksInCells(t *testing.T) {
	for name, br := range lineBreaks {
		t.Run(name, func(t *testing.T) {
			row := make([]string, len(Columns))
			row[Index("supplier_name")], row[Index("criticality")] = "CRLF Notes Ltd", "low"
			row[Index("category")], row[Index("data_subjects")], row[Index("record_count")] = "health", "patients", "5"
			for _, col := range []string{"notes", "services", "purpose"} {
				row[Index(col)] = col + " one" + br + "two" + br + br + "three" + br
			}
			for _, f := range []Format{CSV, XLSX} {
				var buf bytes.Buffer
				if err := Write(&buf, f, [][]string{row, row}); err != nil {
					t.Fatal(err)
				}
				tb, err := Read(bytes.NewReader(buf.Bytes()), f)
				if err != nil {
					t.Fatal(err)
				}
				if len(tb.Rows) != 2 || tb.Rows[1].Number != 3 {
					t.Fatalf("%s: rows %+v", f, tb.Rows)
				}
				for _, col := range []string{"notes", "services", "purpose"} {
					if got := tb.Rows[1].Cells[Index(col)]; got != row[Index(col)] {
						t.Errorf("%s %s: read back %q, wrote %q", f, col, got, row[Index(col)])
					}
				}
			}
		})
	}
	// As another program writes it: records end in CRLF or LF, and only what is
	// inside the quotes is the cell.
	in := "supplier_name,notes\r\nA,\"line one\r\nline two\"\r\nB,\"lone\rreturn\"\nC,\"new\nline\"\r\nD,plain\r\n"
	tb, err := Read(strings.NewReader(in), CSV)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "line one\r\nline two", "B": "lone\rreturn", "C": "new\nline", "D": "plain"}
	if len(tb.Rows) != 4 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	for i, r := range tb.Rows {
		name := r.Cells[Index("supplier_name")]
		if r.Number != i+2 || r.Cells[Index("notes")] != want[name] {
			t.Errorf("row %d (%s): notes %q, want %q", r.Number, name, r.Cells[Index("notes")], want[name])
		}
	}
}

// The writer copies every byte of a cell: encoding/csv's writer dropped a lone
// "\r" and wrote "\n" as "\r\n".
func TestCSVWriterKeepsCellBytes(t *testing.T) {
	row := make([]string, len(Columns))
	row[0], row[Index("notes")] = "A", "x\ry\nz\r\n"
	var buf bytes.Buffer
	if err := Write(&buf, CSV, [][]string{row}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\nA,,,,,,,,,,,,\"x\ry\nz\r\n\",,,,,,,,,\r\n") {
		t.Errorf("CSV %q", buf.String())
	}
}

func TestCSVSyntaxErrors(t *testing.T) {
	cases := map[string]string{
		"supplier_name\n\"A\"B\n":           `sheet: row 2: is not valid CSV (line 2, column 3: extraneous or missing " in quoted-field)`,
		"supplier_name\nA\"B\n":             `sheet: row 2: is not valid CSV (line 2, column 2: bare " in non-quoted-field)`,
		"supplier_name\n\"one\ntwo":         `sheet: row 2: is not valid CSV (line 3, column 4: extraneous or missing " in quoted-field)`,
		"supplier_name\n\"a\r\nb\"\n\"C\"x": `sheet: row 3: is not valid CSV (line 4, column 3: extraneous or missing " in quoted-field)`,
	}
	for in, want := range cases {
		_, err := Read(strings.NewReader(in), CSV)
		if err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", in, err, want)
		}
	}
	long := "supplier_name,notes\nA,\"" + strings.Repeat("x", MaxCSVRecord) + "\"\n"
	_, err := Read(strings.NewReader(long), CSV)
	var p Problems
	if !errors.As(err, &p) || p[0].Row != 2 || !strings.Contains(p[0].Message, "is longer than 1048576 bytes") {
		t.Errorf("a row over the record limit: %v", err)
	}
}

// A NUL in a cell is refused with its row and column, in CSV and in XLSX (where
// it is written _x0000_), never dropped.
func TestNULCellsAreRefused(t *testing.T) {
	csvIn := "supplier_name,criticality,notes\nFine,low,ok\nNul\x00Co,low,a\x00b\n"
	xlsxIn := workbook(t, map[string]string{}, [][]string{{"supplier_name", "criticality"}, {"Fine", "low"}, {"Nul_x0000_Co", "low"}})
	for f, in := range map[Format][]byte{CSV: []byte(csvIn), XLSX: xlsxIn} {
		_, err := Read(bytes.NewReader(in), f)
		var p Problems
		if !errors.As(err, &p) || p[0].Row != 3 || p[0].Column != "supplier_name" || p[0].Message != "must not contain NUL characters" {
			t.Errorf("%s: %v", f, err)
		}
		if f == CSV && (len(p) != 2 || p[1].Column != "notes") {
			t.Errorf("CSV: every NUL cell is named: %v", err)
		}
	}
}
