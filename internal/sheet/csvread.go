package sheet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// MaxCSVRecord bounds one CSV record (one spreadsheet row, quotes included), in
// bytes: a row of the layout at every field's length limit is far shorter, and a
// longer one would only cost memory.
const MaxCSVRecord = 1 << 20

// csvSyntaxError is a record that is not RFC 4180 CSV. Line and Column (1-based,
// in bytes) are where the reader stopped, as encoding/csv reports them.
type csvSyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *csvSyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// errCSVRecordTooLong is a record longer than MaxCSVRecord.
var errCSVRecordTooLong = errors.New("sheet: csv record too long")

// csvReader reads RFC 4180 records (https://www.rfc-editor.org/rfc/rfc4180 §2),
// unlike encoding/csv keeping every byte of a quoted field as it is, carriage
// returns included: a cell written "line one\r\nline two" reads back with its
// "\r\n", and a lone "\r" or "\n" inside quotes stays what it is. Records end at
// "\r\n" or "\n" outside quotes; a "\r" elsewhere in an unquoted field is data.
// A field that starts with a quote is quoted, and "" inside it is one quote.
type csvReader struct {
	br    *bufio.Reader
	comma byte
	line  int    // lines consumed so far
	buf   []byte // the current record's field bytes, reused
	ends  []int  // end offset in buf of each field, reused
}

func newCSVReader(br *bufio.Reader, comma byte) *csvReader {
	return &csvReader{br: br, comma: comma}
}

// read returns the next record's fields (one string per record, fields sliced
// from it) and its first line; io.EOF after the last record. A blank line is a
// record of one empty field, so that callers can count it as a row.
func (r *csvReader) read() (fields []string, startLine int, err error) {
	if _, err := r.br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		return nil, 0, err
	}
	r.line++
	startLine = r.line
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	col := 0 // 1-based byte column of the last byte read on the current line
	next := func() (byte, bool, error) {
		c, err := r.br.ReadByte()
		if errors.Is(err, io.EOF) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		col++
		return c, true, nil
	}
	for {
		// Start of a field.
		c, ok, err := next()
		if err != nil {
			return nil, 0, err
		}
		if ok && c == '"' {
			if err := r.quoted(next, &col); err != nil {
				return nil, 0, err
			}
			// After the closing quote: a separator, the end of the record, or an error.
			c, ok, err = next()
			if err != nil {
				return nil, 0, err
			}
			switch {
			case !ok:
			case c == r.comma:
				r.ends = append(r.ends, len(r.buf))
				continue
			case c == '\n':
			case c == '\r' && r.peekIs('\n'):
				_, _ = r.br.ReadByte()
			default:
				return nil, 0, &csvSyntaxError{Line: r.line, Column: col - 1, Msg: `extraneous or missing " in quoted-field`}
			}
			r.ends = append(r.ends, len(r.buf))
			return r.record(), startLine, nil
		}
		// An unquoted field: up to a separator or the end of the record.
		for ; ; c, ok, err = next() {
			if err != nil {
				return nil, 0, err
			}
			switch {
			case !ok || c == '\n':
			case c == r.comma:
			case c == '\r' && r.peekIs('\n'):
				_, _ = r.br.ReadByte()
				c = '\n'
			case c == '"':
				return nil, 0, &csvSyntaxError{Line: r.line, Column: col, Msg: `bare " in non-quoted-field`}
			default:
				if err := r.add(c); err != nil {
					return nil, 0, err
				}
				continue
			}
			break
		}
		r.ends = append(r.ends, len(r.buf))
		if ok && c == r.comma {
			continue
		}
		return r.record(), startLine, nil
	}
}

// quoted reads a quoted field's content after its opening quote, through its
// closing quote.
func (r *csvReader) quoted(next func() (byte, bool, error), col *int) error {
	for {
		c, ok, err := next()
		if err != nil {
			return err
		}
		switch {
		case !ok:
			return &csvSyntaxError{Line: r.line, Column: *col + 1, Msg: `extraneous or missing " in quoted-field`}
		case c == '"' && !r.peekIs('"'):
			return nil
		case c == '"':
			_, _ = r.br.ReadByte() // the second quote of ""
			*col++
		case c == '\n':
			r.line++
			*col = 0
		}
		if err := r.add(c); err != nil {
			return err
		}
	}
}

func (r *csvReader) peekIs(b byte) bool {
	p, err := r.br.Peek(1)
	return err == nil && p[0] == b
}

func (r *csvReader) add(c byte) error {
	if len(r.buf) >= MaxCSVRecord {
		return errCSVRecordTooLong
	}
	r.buf = append(r.buf, c)
	return nil
}

// record turns the buffered fields into strings sharing one allocation.
func (r *csvReader) record() []string {
	s := string(r.buf)
	out := make([]string, len(r.ends))
	start := 0
	for i, end := range r.ends {
		out[i] = s[start:end]
		start = end
	}
	return out
}
