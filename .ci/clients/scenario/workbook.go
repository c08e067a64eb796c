package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"mime"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxType is the media type of an Excel workbook, the questionnaire's sheet.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The questionnaire workbook's layout (getAssessmentSheet): the assessment's id on
// the Instructions sheet, a header row and one row per question on the
// Questionnaire sheet, the answer (an option's value) in F and the comment in G.
const (
	instructionsSheet  = "Instructions"
	questionnaireSheet = "Questionnaire"
	assessmentCell     = "B3"
)

var sheetHeader = []string{"question_key", "domain", "question", "guidance", "required", "answer", "comment"}

// workbook is what a questionnaire workbook says.
type workbook struct {
	assessment string            // the id the Instructions sheet names
	keys       []string          // the question keys, in row order (row 2 onwards)
	answers    map[string]string // by question key, "" for none
	comments   map[string]string
}

// readWorkbook reads a questionnaire workbook, checking its layout.
func readWorkbook(raw []byte) (workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return workbook{}, fmt.Errorf("not a workbook: %w", err)
	}
	defer f.Close()
	wb := workbook{answers: map[string]string{}, comments: map[string]string{}}
	if wb.assessment, err = f.GetCellValue(instructionsSheet, assessmentCell); err != nil {
		return workbook{}, fmt.Errorf("no %s sheet: %w", instructionsSheet, err)
	}
	rows, err := f.GetRows(questionnaireSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return workbook{}, fmt.Errorf("no %s sheet: %w", questionnaireSheet, err)
	}
	if len(rows) == 0 || fmt.Sprint(rows[0]) != fmt.Sprint(sheetHeader) {
		return workbook{}, fmt.Errorf("the %s sheet's first row is not %q", questionnaireSheet, sheetHeader)
	}
	for i, row := range rows[1:] {
		cell := func(col int) string {
			if col < len(row) {
				return row[col]
			}
			return ""
		}
		if cell(0) == "" {
			return workbook{}, fmt.Errorf("row %d of the %s sheet has no question_key", i+2, questionnaireSheet)
		}
		wb.keys = append(wb.keys, cell(0))
		wb.answers[cell(0)], wb.comments[cell(0)] = cell(5), cell(6)
	}
	return wb, nil
}

// row is the sheet row of a question, 0 when the workbook does not list it.
func (wb workbook) row(key string) int {
	for i, k := range wb.keys {
		if k == key {
			return i + 2
		}
	}
	return 0
}

// fillWorkbook writes answers (column F, an option's value as text) and comments
// (column G) into a copy of a questionnaire workbook, by question key, as a
// spreadsheet program would save it.
func fillWorkbook(raw []byte, answers, comments map[string]string) ([]byte, error) {
	wb, err := readWorkbook(raw)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for col, values := range map[string]map[string]string{"F": answers, "G": comments} {
		for key, v := range values {
			row := wb.row(key)
			if row == 0 {
				return nil, fmt.Errorf("the workbook lists no question %s", key)
			}
			if err := f.SetCellStr(questionnaireSheet, fmt.Sprintf("%s%d", col, row), v); err != nil {
				return nil, err
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// asUTF8 packs a workbook again so that, taken as a whole, its bytes are valid
// UTF-8, which Prism's proxy carries intact: it reads every request body that is
// not JSON as UTF-8 text and sends that text on (@stoplight/prism-http-server's
// parseRequestBody, micri's text), whatever its Content-Type or charset, so any
// other byte sequence arrives changed. A workbook is a ZIP file whose parts are XML
// (UTF-8); here they are stored uncompressed, and every number of the ZIP
// structure is made of bytes below 0x80: each part is followed by spaces (white
// space after an XML document's root element is allowed) until its CRC-32 and
// size are, the padding of its local header's extra field (empty records) makes
// the next header's offset so, and comments on the first three entries of the
// central directory its size. No timestamp is written. To any ZIP reader it is
// the same workbook.
func asUTF8(raw []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) < 3 || len(zr.File) >= 0x80 {
		return nil, fmt.Errorf("a workbook of %d parts", len(zr.File))
	}
	const localHeader, centralHeader, maxPad = 30, 46, 1 << 16
	type entry struct {
		name          string
		data          []byte
		crc           uint32
		offset, extra uint64
		comment       uint64
	}
	var entries []entry
	var offset, directory uint64
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if !utf8.ValidString(f.Name) || !utf8.Valid(data) || len(f.Name) >= 0x80 {
			return nil, fmt.Errorf("%s is not UTF-8 text", f.Name)
		}
		e := entry{name: f.Name, offset: offset, crc: crc32.ChecksumIEEE(data)}
		found := false
		for pad := 0; pad <= maxPad && !found; pad++ {
			if pad > 0 {
				e.crc = crc32.Update(e.crc, crc32.IEEETable, []byte{' '})
			}
			size := uint64(len(data) + pad)
			if !low(uint64(e.crc)) || !low(size) {
				continue
			}
			next := offset + localHeader + uint64(len(f.Name)) + size
			for extra := uint64(0); extra < 0x8000; extra += 4 { // records of 4 zero bytes: id 0, no data
				if low(extra) && low(next+extra) {
					e.data, e.extra, found = append(data, bytes.Repeat([]byte{' '}, pad)...), extra, true
					offset = next + extra
					break
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: no padding up to %d bytes gives a header of bytes below 0x80", f.Name, maxPad)
		}
		entries = append(entries, e)
		directory += centralHeader + uint64(len(f.Name))
	}
	// The central directory's size, made of bytes below 0x80 by comments whose
	// lengths are too: c = a + h + h, a its bits that are not 0x80 of a byte and h
	// half the others.
	target := directory
	for !low(target) {
		target++
	}
	c := target - directory
	if c > 0xFFFF {
		return nil, fmt.Errorf("a central directory of %d bytes", directory)
	}
	entries[0].comment, entries[1].comment, entries[2].comment = c&0x7F7F, (c&0x8080)/2, (c&0x8080)/2

	var out bytes.Buffer
	le := func(v uint64, n int) {
		for i := 0; i < n; i++ {
			out.WriteByte(byte(v >> (8 * i)))
		}
	}
	for _, e := range entries {
		le(0x04034b50, 4)
		le(20, 2) // version needed: 2.0
		le(0, 2)  // flags
		le(0, 2)  // stored
		le(0, 4)  // no time or date
		le(uint64(e.crc), 4)
		le(uint64(len(e.data)), 4)
		le(uint64(len(e.data)), 4)
		le(uint64(len(e.name)), 2)
		le(e.extra, 2)
		out.WriteString(e.name)
		out.Write(make([]byte, e.extra))
		out.Write(e.data)
	}
	start := uint64(out.Len())
	for _, e := range entries {
		le(0x02014b50, 4)
		le(20, 2) // made by: 2.0, MS-DOS attributes
		le(20, 2)
		le(0, 2)
		le(0, 2)
		le(0, 4)
		le(uint64(e.crc), 4)
		le(uint64(len(e.data)), 4)
		le(uint64(len(e.data)), 4)
		le(uint64(len(e.name)), 2)
		le(0, 2) // no extra field
		le(e.comment, 2)
		le(0, 2) // disk
		le(0, 2) // internal attributes
		le(0, 4) // external attributes
		le(e.offset, 4)
		out.WriteString(e.name)
		out.Write(bytes.Repeat([]byte{' '}, int(e.comment)))
	}
	size := uint64(out.Len()) - start
	le(0x06054b50, 4)
	le(0, 2)
	le(0, 2)
	le(uint64(len(entries)), 2)
	le(uint64(len(entries)), 2)
	le(size, 4)
	le(start, 4)
	le(0, 2) // no comment
	if !utf8.Valid(out.Bytes()) {
		return nil, fmt.Errorf("the packed workbook is still not valid UTF-8")
	}
	if _, err := readWorkbook(out.Bytes()); err != nil {
		return nil, fmt.Errorf("the packed workbook: %w", err)
	}
	return out.Bytes(), nil
}

// low reports whether every byte of v, as a 32-bit little-endian field, is below 0x80.
func low(v uint64) bool {
	return v < 1<<32 && v&0x80808080 == 0
}

// sheetDownload checks a workbook download's 200: the type, an attachment named
// name, and a workbook of the assessment listing the questions in order with the
// answers and comments wanted. It returns the workbook's bytes.
func (s *scenario) sheetDownload(label string, res answer, name, assessment string, keys []string,
	answers, comments map[string]string) []byte {
	if res.status != 200 {
		return nil
	}
	var wrong []string
	if mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type")); err != nil || mt != xlsxType {
		wrong = append(wrong, fmt.Sprintf("Content-Type %q, want %s", res.header.Get("Content-Type"), xlsxType))
	}
	if got, want := res.header.Get("Content-Disposition"), "attachment; filename="+name; got != want {
		wrong = append(wrong, fmt.Sprintf("Content-Disposition %q, want %q", got, want))
	}
	wb, err := readWorkbook(res.body)
	switch {
	case err != nil:
		wrong = append(wrong, fmt.Sprintf("a body of %d bytes that is not the questionnaire's workbook: %v", len(res.body), err))
	case wb.assessment != assessment:
		wrong = append(wrong, fmt.Sprintf("the workbook of assessment %q, want %s", wb.assessment, assessment))
	case fmt.Sprint(wb.keys) != fmt.Sprint(keys):
		wrong = append(wrong, fmt.Sprintf("rows for the questions %q, want %q", wb.keys, keys))
	default:
		for _, k := range keys {
			if wb.answers[k] != answers[k] || wb.comments[k] != comments[k] {
				wrong = append(wrong, fmt.Sprintf("row %d (%s): answer %q and comment %q, want %q and %q",
					wb.row(k), k, wb.answers[k], wb.comments[k], answers[k], comments[k]))
			}
		}
	}
	for _, w := range wrong {
		s.faults = append(s.faults, label+" → 200 with "+w)
	}
	return res.body
}

// sheetHeaders checks the headers of a workbook download that went through Prism,
// whose body Prism has carried as text (not the workbook's bytes any more).
func (s *scenario) sheetHeaders(label string, res answer, name string) {
	if res.status != 200 {
		return
	}
	if mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type")); err != nil || mt != xlsxType {
		s.faults = append(s.faults, fmt.Sprintf("%s → 200 with Content-Type %q, want %s", label, res.header.Get("Content-Type"), xlsxType))
	}
	if got, want := res.header.Get("Content-Disposition"), "attachment; filename="+name; got != want {
		s.faults = append(s.faults, fmt.Sprintf("%s → 200 with Content-Disposition %q, want %q", label, got, want))
	}
}
