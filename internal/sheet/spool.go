package sheet

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Spool is a file's data rows kept in a temporary file rather than in memory, so
// that a use case can read them several times (an import checks every row before
// it writes any) at the cost of one row at a time, whatever the file's size.
// Close removes the file.
type Spool struct {
	present []bool
	rows    int
	file    *os.File
}

// SpoolRows reads a CSV or XLSX file as Scan does and keeps its data rows in a
// temporary file. Its errors are Scan's, or the temporary file's.
func SpoolRows(r io.Reader, f Format) (*Spool, error) {
	file, err := os.CreateTemp("", "weaklink-rows-*")
	if err != nil {
		return nil, fmt.Errorf("spool rows: %w", err)
	}
	s := &Spool{file: file}
	w := bufio.NewWriter(file)
	var scratch [binary.MaxVarintLen64]byte
	put := func(n int) { _, _ = w.Write(scratch[:binary.PutUvarint(scratch[:], uint64(n))]) }
	present, err := Scan(r, f, func(row Row) error {
		put(row.Number)
		for _, c := range row.Cells {
			put(len(c))
			_, _ = w.WriteString(c)
		}
		s.rows++
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.present = present
	return s, nil
}

// Has reports whether the file has the column at position i of Columns.
func (s *Spool) Has(i int) bool { return i >= 0 && i < len(s.present) && s.present[i] }

// Len is the number of data rows.
func (s *Spool) Len() int { return s.rows }

// Each calls fn with every data row in order, stopping at its first error. Each
// row's cells share one string, dropped when fn no longer holds them.
func (s *Spool) Each(fn func(Row) error) error {
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spool rows: %w", err)
	}
	br := bufio.NewReader(s.file)
	lens := make([]int, len(Columns))
	var buf []byte
	for range s.rows {
		number, err := binary.ReadUvarint(br)
		if err != nil {
			return fmt.Errorf("spool rows: %w", err)
		}
		buf = buf[:0]
		for i := range lens {
			n, err := binary.ReadUvarint(br)
			if err == nil && n > 1<<30 {
				err = errors.New("cell length out of range")
			}
			if err != nil {
				return fmt.Errorf("spool rows: %w", err)
			}
			lens[i] = int(n)
			start := len(buf)
			buf = append(buf, make([]byte, n)...)
			if _, err := io.ReadFull(br, buf[start:]); err != nil {
				return fmt.Errorf("spool rows: %w", err)
			}
		}
		all := string(buf)
		row := Row{Number: int(number), Cells: make([]string, len(Columns))}
		at := 0
		for i, n := range lens {
			row.Cells[i] = all[at : at+n]
			at += n
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the temporary file.
func (s *Spool) Close() error {
	name := s.file.Name()
	err := s.file.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	return err
}
