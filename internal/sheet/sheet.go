// Package sheet reads and writes the spreadsheet layout of the supplier register:
// one row per supplier and data category it holds, as CSV or XLSX. It owns the
// column table (which also documents the layout), header matching, formula
// neutralisation, and the limits that keep reading a file within bounded memory
// whatever it holds. It knows nothing of the database. Besides the io.Reader and
// io.Writer it is given, it uses temporary files, each removed when done: the rows
// of a spooled file (SpoolRows), a workbook that does not arrive as a file, the
// worksheets excelize keeps on disk while reading, and an XLSX data sheet of more
// than 16 MiB that excelize spills while writing. Cells are plain strings: the
// register parses and validates them.
package sheet

import (
	"fmt"
	"strings"
)

// Format is a spreadsheet file format.
type Format string

// The supported formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Media types of the formats.
const (
	CSVMediaType  = "text/csv"
	XLSXMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ParseFormat accepts "csv" or "xlsx" in any case.
func ParseFormat(s string) (Format, bool) {
	switch Format(strings.ToLower(strings.TrimSpace(s))) {
	case CSV:
		return CSV, true
	case XLSX:
		return XLSX, true
	}
	return "", false
}

// MediaType is the format's Content-Type.
func (f Format) MediaType() string {
	if f == XLSX {
		return XLSXMediaType
	}
	return CSVMediaType + "; charset=utf-8"
}

// MaxRows bounds the data rows of one file: an import is one transaction, and
// larger registers are imported in several files.
const MaxRows = 100_000

// Index returns the position of a column in Columns, or -1.
func Index(name string) int {
	for i, c := range Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Row is one data row: its 1-based row number in the spreadsheet, and a cell per
// entry of Columns (empty for a column the file does not have).
type Row struct {
	Number int
	Cells  []string
}

// Table is what Read found: which columns the file has, and its non-blank data rows.
type Table struct {
	Present []bool // by position in Columns
	Rows    []Row
}

// Has reports whether the file has the column at position i of Columns.
func (t Table) Has(i int) bool { return i >= 0 && i < len(t.Present) && t.Present[i] }

// Len is the number of data rows.
func (t Table) Len() int { return len(t.Rows) }

// Each calls fn with every data row in order, stopping at its first error.
func (t Table) Each(fn func(Row) error) error {
	for _, r := range t.Rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Problem is one thing wrong with a file: Row is the 1-based spreadsheet row (0
// for the file as a whole), Column the column's name (or "column C" when it has
// none), and Header whether the header row is at fault.
type Problem struct {
	Row     int
	Column  string
	Header  bool
	Message string
}

// Problems is the error Read returns when it can read the file but not accept it.
type Problems []Problem

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, e := range p {
		switch {
		case e.Row == 0:
			parts[i] = e.Message
		case e.Column == "":
			parts[i] = fmt.Sprintf("row %d: %s", e.Row, e.Message)
		default:
			parts[i] = fmt.Sprintf("row %d, %s: %s", e.Row, e.Column, e.Message)
		}
	}
	return "sheet: " + strings.Join(parts, "; ")
}

// Formula neutralisation. A spreadsheet program runs a cell that starts with one
// of these as a formula (CSV injection); an apostrophe in front makes it text.
const formulaStarts = "=+-@\t\r"

// Escape neutralises a cell for export: a value starting with a formula character,
// or with an apostrophe (so that Unescape restores it exactly), gets an apostrophe
// in front.
func Escape(v string) string {
	if v != "" && (strings.IndexByte(formulaStarts, v[0]) >= 0 || v[0] == '\'') {
		return "'" + v
	}
	return v
}

// Unescape reverses Escape on import: one leading apostrophe is dropped when a
// formula character or another apostrophe follows it. Anything else is kept as
// typed, and nothing is ever evaluated.
func Unescape(v string) string {
	if len(v) >= 2 && v[0] == '\'' && (strings.IndexByte(formulaStarts, v[1]) >= 0 || v[1] == '\'') {
		return v[1:]
	}
	return v
}

// header matches header cells to Columns: names compare ignoring case, surrounding
// space, and spaces or hyphens written for underscores. pos[i] is the Columns index
// of file column i, or -1 for a column without a name.
func header(cells []string, row int) (pos []int, present []bool, err error) {
	var probs Problems
	pos = make([]int, len(cells))
	present = make([]bool, len(Columns))
	for i, raw := range cells {
		name := strings.ToLower(strings.TrimSpace(Unescape(raw)))
		name = strings.NewReplacer(" ", "_", "-", "_").Replace(name)
		pos[i] = -1
		if name == "" {
			continue
		}
		idx := Index(name)
		switch {
		case idx < 0:
			probs = append(probs, Problem{Row: row, Column: strings.TrimSpace(raw), Header: true,
				Message: "is not a column of the import layout (see the template for the columns and what they hold)"})
		case present[idx]:
			probs = append(probs, Problem{Row: row, Column: name, Header: true, Message: "appears twice in the header"})
		default:
			pos[i], present[idx] = idx, true
		}
	}
	if !present[0] {
		probs = append(probs, Problem{Row: row, Column: Columns[0].Name, Header: true, Message: "is a required column and is missing from the header"})
	}
	holdingCols := false
	for i, c := range Columns {
		holdingCols = holdingCols || (present[i] && c.Group == HoldingColumn)
	}
	if cat := Index("category"); holdingCols && !present[cat] {
		probs = append(probs, Problem{Row: row, Column: "category", Header: true,
			Message: "is required in the header when other data holding columns are there"})
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	return pos, present, nil
}

// MaxProblems bounds the problems one file reports: a file with more is mostly
// wrong, and the list would only cost memory.
const MaxProblems = 1000

// collector matches the header and hands on the data rows of a file.
type collector struct {
	pos     []int // nil until the header has been read
	present []bool
	rows    int // data rows so far
	emit    func(Row) error
	probs   Problems
}

// add takes one raw row (cells as stored, before Unescape). Blank rows are skipped;
// the first non-blank row is the header.
func (c *collector) add(number int, cells []string) error {
	blank := true
	for _, v := range cells {
		if strings.TrimSpace(v) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil
	}
	if c.pos == nil {
		pos, present, err := header(cells, number)
		if err != nil {
			return err
		}
		c.pos, c.present = pos, present
		return nil
	}
	if c.rows >= MaxRows {
		return Problems{{Message: fmt.Sprintf("has more than %d data rows; split it into several files", MaxRows)}}
	}
	c.rows++
	row := Row{Number: number, Cells: make([]string, len(Columns))}
	for i, v := range cells {
		if i >= len(c.pos) || c.pos[i] < 0 {
			if strings.TrimSpace(v) != "" {
				c.problem(Problem{Row: number, Column: "column " + columnLetter(i),
					Message: "has a value but no column name in the header"})
			}
			continue
		}
		// No field of the register can hold a NUL (PostgreSQL text cannot), and the
		// JSON API refuses it: a cell with one is refused, never silently changed.
		if strings.IndexByte(v, 0) >= 0 {
			c.problem(Problem{Row: number, Column: Columns[c.pos[i]].Name, Message: "must not contain NUL characters"})
		}
		row.Cells[c.pos[i]] = Unescape(v)
	}
	if len(c.probs) >= MaxProblems {
		return c.probs
	}
	if len(c.probs) > 0 {
		return nil // the file is rejected: later rows are only checked
	}
	return c.emit(row)
}

func (c *collector) problem(p Problem) {
	if len(c.probs) < MaxProblems {
		c.probs = append(c.probs, p)
	}
}

func (c *collector) result() ([]bool, error) {
	if c.pos == nil {
		return nil, Problems{{Message: "has no header row: the first row must name the columns (see the template)"}}
	}
	if len(c.probs) > 0 {
		return nil, c.probs
	}
	return c.present, nil
}

// columnLetter names a 0-based column as a spreadsheet does: A … Z, AA, AB, ….
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
