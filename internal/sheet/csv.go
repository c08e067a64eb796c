package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bom is the UTF-8 byte-order mark: Excel writes it and needs it to read UTF-8.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Read parses a whole CSV or XLSX file into memory (see Scan for what it checks).
// Imports use SpoolRows instead, which keeps the rows on disk.
func Read(r io.Reader, f Format) (Table, error) {
	var t Table
	present, err := Scan(r, f, func(row Row) error {
		t.Rows = append(t.Rows, row)
		return nil
	})
	if err != nil {
		return Table{}, err
	}
	t.Present = present
	return t, nil
}

// Scan reads a CSV or XLSX file row by row: the first non-blank row is the header,
// and fn receives every non-blank data row after it, in order (Row.Cells in
// Columns order); it returns which columns the file has. A file it can read but
// not accept (no header, unknown or missing columns, values outside named columns,
// a NUL character in a cell, more than MaxRows data rows, not UTF-8, a CSV row
// longer than MaxCSVRecord, a workbook too large once decompressed) is Problems,
// each with its row and column; a file that is not of the format at all is
// another error (ErrNotXLSX); an error from fn ends the scan and is returned.
// Memory stays bounded by one row (and, for XLSX, what ReadXLSX documents),
// whatever the file's size.
func Scan(r io.Reader, f Format, fn func(Row) error) ([]bool, error) {
	c := collector{emit: fn}
	var err error
	switch f {
	case CSV:
		err = readCSV(r, &c)
	case XLSX:
		err = readXLSX(r, &c)
	default:
		return nil, fmt.Errorf("sheet: unknown format %q", f)
	}
	if err != nil {
		return nil, err
	}
	return c.result()
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

func readCSV(r io.Reader, c *collector) error {
	br := bufio.NewReader(r)
	if head, err := br.Peek(3); err == nil && bytes.Equal(head, bom) {
		_, _ = br.Discard(3)
	}
	cr := newCSVReader(br, sniffComma(br))
	// Every record is a spreadsheet row, a blank line included, and a record with
	// line breaks inside quotes is one row.
	for number := 1; ; number++ {
		rec, _, err := cr.read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var se *csvSyntaxError
		switch {
		case errors.As(err, &se):
			return Problems{{Row: number, Message: fmt.Sprintf("is not valid CSV (%v)", se)}}
		case errors.Is(err, errCSVRecordTooLong):
			return Problems{{Row: number, Message: fmt.Sprintf("is longer than %d bytes, more than any row of the layout can hold", MaxCSVRecord)}}
		case err != nil:
			return fmt.Errorf("read csv: %w", err)
		}
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return Problems{{Row: number, Message: "is not UTF-8 text: save the file as CSV UTF-8"}}
			}
		}
		if err := c.add(number, rec); err != nil {
			return err
		}
	}
}

// sniffComma picks the separator from the header line: spreadsheet programs in
// many locales save "CSV" with semicolons, and header names contain neither.
func sniffComma(br *bufio.Reader) byte {
	line, _ := br.Peek(4096)
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// writeCSV writes RFC 4180 records ending in "\r\n". Unlike encoding/csv's
// writer, it copies every byte of a field, so that "\r\n", a lone "\r" and "\n"
// inside a cell read back unchanged.
func writeCSV(w io.Writer, rows [][]string) error {
	bw := bufio.NewWriter(w)
	_, _ = bw.Write(bom)
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = c.Name
	}
	writeCSVRecord(bw, names)
	out := make([]string, len(Columns))
	for _, row := range rows {
		for i := range out {
			out[i] = ""
			if i < len(row) {
				out[i] = Escape(row[i])
			}
		}
		writeCSVRecord(bw, out)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func writeCSVRecord(bw *bufio.Writer, fields []string) {
	for i, f := range fields {
		if i > 0 {
			_ = bw.WriteByte(',')
		}
		if !csvNeedsQuotes(f) {
			_, _ = bw.WriteString(f)
			continue
		}
		_ = bw.WriteByte('"')
		_, _ = bw.WriteString(strings.ReplaceAll(f, `"`, `""`))
		_ = bw.WriteByte('"')
	}
	_, _ = bw.WriteString("\r\n")
}

// csvNeedsQuotes quotes what encoding/csv quotes: a field with a separator, a
// quote or a line break, or that starts with a space.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` || strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}
