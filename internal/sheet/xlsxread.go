package sheet

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// ErrNotXLSX is returned by Read for a body that is not an XLSX workbook.
var ErrNotXLSX = errors.New("sheet: not an XLSX workbook")

// readXLSX streams the data sheet's rows: the workbook is checked against the
// limits of xlsxlimits.go first (from the zip directory, and one decompressing
// pass over its XML that keeps nothing), then opened with excelize, which keeps
// worksheets and a large shared string table in temporary files, and read one row
// at a time until MaxRows. Memory: the compressed file (excelize reads it whole,
// at most the import body limit) plus the limits' small parts, whatever the
// number of rows or the decompressed size.
func readXLSX(r io.Reader, c *collector) error {
	src, size, done, err := readerAt(r)
	if err != nil {
		return err
	}
	defer done()
	if err := checkWorkbook(src, size); err != nil {
		return err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(src, 0, size),
		excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: xmlInMemory})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return tooLargeUnzipped()
		}
		return ErrNotXLSX
	}
	defer f.Close()
	name := ""
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(s, DataSheet) {
			name = s
			break
		}
	}
	if name == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return ErrNotXLSX
		}
		name = sheets[0]
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904

	rows, err := f.Rows(name)
	if err != nil {
		return ErrNotXLSX
	}
	defer rows.Close()
	for number := 1; rows.Next(); number++ {
		// Raw values: the text or number stored in the cell, never a formula, never
		// evaluated, and without number formats applied.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return ErrNotXLSX
		}
		if c.pos != nil {
			dateCells(cells, c.pos, date1904)
		}
		if err := c.add(number, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return ErrNotXLSX
	}
	return nil
}

// readerAt gives random access to the workbook (a zip is read from its end): an
// *os.File as it is, anything else copied to a temporary file, removed by done.
func readerAt(r io.Reader) (ra io.ReaderAt, size int64, done func(), err error) {
	if f, ok := r.(*os.File); ok {
		off, err1 := f.Seek(0, io.SeekCurrent)
		st, err2 := f.Stat()
		if err1 == nil && err2 == nil && st.Mode().IsRegular() {
			return io.NewSectionReader(f, off, st.Size()-off), st.Size() - off, func() {}, nil
		}
	}
	tmp, err := os.CreateTemp("", "weaklink-xlsx-*")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read xlsx: %w", err)
	}
	done = func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}
	if size, err = io.Copy(tmp, r); err != nil {
		done()
		return nil, 0, nil, fmt.Errorf("read xlsx: %w", err)
	}
	return tmp, size, done, nil
}

// dateCells turns date serial numbers in date columns into YYYY-MM-DD: a date typed
// into a spreadsheet is stored as the number of days since 1900 (or 1904).
func dateCells(cells []string, pos []int, date1904 bool) {
	for i, v := range cells {
		if i >= len(pos) || pos[i] < 0 || Columns[pos[i]].Kind != Date {
			continue
		}
		serial, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		// 1 is 1900-01-01 and 2958465 is 9999-12-31; other numbers are left for
		// validation to reject.
		if err != nil || serial < 1 || serial > 2958465 || math.IsNaN(serial) {
			continue
		}
		if t, err := excelize.ExcelDateToTime(serial, date1904); err == nil {
			cells[i] = t.Format(time.DateOnly)
		}
	}
}
