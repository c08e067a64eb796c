package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// bom is the UTF-8 byte-order mark: Excel writes it and needs it to read UTF-8.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Read parses a CSV or XLSX file. A file it can read but not accept (no header,
// unknown or missing columns, values outside named columns, too many rows, not
// UTF-8) is Problems; a file that is not of the format at all is another error.
func Read(r io.Reader, f Format) (Table, error) {
	var (
		t   Table
		err error
	)
	switch f {
	case CSV:
		t, err = readCSV(r)
	case XLSX:
		t, err = readXLSX(r)
	default:
		return Table{}, fmt.Errorf("sheet: unknown format %q", f)
	}
	// NUL characters are dropped: no field of the register can hold them (PostgreSQL
	// text cannot), and a spreadsheet cell never means one.
	for _, row := range t.Rows {
		for i, c := range row.Cells {
			if strings.IndexByte(c, 0) >= 0 {
				row.Cells[i] = strings.ReplaceAll(c, "\x00", "")
			}
		}
	}
	return t, err
}

// Write writes a header row and rows (cells in Columns order) as CSV or XLSX.
// Cells are neutralised (Escape); an XLSX workbook also has an Instructions sheet.
// The same rows always give the same bytes.
func Write(w io.Writer, f Format, rows [][]string) error {
	switch f {
	case CSV:
		return writeCSV(w, rows)
	case XLSX:
		return writeXLSX(w, rows)
	}
	return fmt.Errorf("sheet: unknown format %q", f)
}

func readCSV(r io.Reader) (Table, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(3); err == nil && bytes.Equal(head, bom) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.Comma = sniffComma(br)
	var c collector
	// The CSV reader skips blank lines, which a spreadsheet program shows as rows;
	// number counts them back in, and counts a record with line breaks inside
	// quotes as one row.
	number, endLine := 0, 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Table{}, Problems{{Row: number + pe.StartLine - endLine,
				Message: fmt.Sprintf("is not valid CSV (line %d, column %d: %v)", pe.Line, pe.Column, pe.Err)}}
		}
		if err != nil {
			return Table{}, fmt.Errorf("read csv: %w", err)
		}
		start, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		number += start - endLine
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return Table{}, Problems{{Row: number, Message: "is not UTF-8 text: save the file as CSV UTF-8"}}
			}
		}
		if err := c.add(number, rec); err != nil {
			return Table{}, err
		}
	}
	return c.result()
}

// sniffComma picks the separator from the header line: spreadsheet programs in
// many locales save "CSV" with semicolons, and header names contain neither.
func sniffComma(br *bufio.Reader) rune {
	line, _ := br.Peek(4096)
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

func writeCSV(w io.Writer, rows [][]string) error {
	bw := bufio.NewWriter(w)
	_, _ = bw.Write(bom)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = c.Name
	}
	_ = cw.Write(names)
	out := make([]string, len(Columns))
	for _, row := range rows {
		for i := range out {
			out[i] = ""
			if i < len(row) {
				out[i] = Escape(row[i])
			}
		}
		if err := cw.Write(out); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return bw.Flush()
}
