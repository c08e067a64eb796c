// Package answersheet lays a questionnaire out as an Excel workbook for a supplier
// to fill in, and reads a filled one back: one row per question with its domain,
// text, guidance, a drop-down of its options, the current answer and a comment.
// It knows the questionnaire as the supplier portal shows it (register.PortalView)
// and nothing of storage.
package answersheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/internal/register"
)

// Sheet names and the questionnaire sheet's columns.
const (
	InstructionsSheet  = "Instructions"
	QuestionnaireSheet = "Questionnaire"
	optionsSheet       = "Options" // hidden: each question's options, one row per question
)

// Columns of the questionnaire sheet, as letters; the header row is row 1.
const (
	colKey      = "A"
	colDomain   = "B"
	colQuestion = "C"
	colGuidance = "D"
	colRequired = "E"
	colAnswer   = "F"
	colComment  = "G"
)

var headers = []string{"question_key", "domain", "question", "guidance", "required", "answer", "comment"}

// MaxBytes is the largest workbook accepted (PRODUCT: imports up to 32 MiB).
const MaxBytes = 32 << 20

// Bounds on a workbook, checked by streaming its parts before excelize opens it
// (excelize loads a sheet whole, filling each row up to its furthest cell, and
// looks a cell up by scanning its row): what a questionnaire of 200 questions with
// 4,000-character texts and comments needs, with room for what a spreadsheet
// program adds, and far below what would cost real memory or time.
const (
	maxUnzipped = 16 << 20 // decompressed bytes, all parts together
	maxParts    = 1000
	maxRows     = 1000 // on any sheet
	maxColumns  = 128  // on any sheet (the options sheet has a column per option)
)

// parsing bounds how many workbooks are read at once: each may take a few tens of
// MiB while excelize holds it.
var parsing = make(chan struct{}, 2)

// Write renders the workbook of a questionnaire with its current answers and
// comments: an instructions sheet naming the assessment, the questionnaire sheet
// (answers chosen from a drop-down that refers to a hidden sheet of options, since
// an inline list is limited to 255 characters), and the hidden options sheet.
func Write(w io.Writer, v register.PortalView) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", InstructionsSheet); err != nil {
		return fmt.Errorf("answer sheet: %w", err)
	}
	for _, name := range []string{QuestionnaireSheet, optionsSheet} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("answer sheet: %w", err)
		}
	}
	set := func(sheet, cell string, value any) {
		if err := f.SetCellValue(sheet, cell, value); err != nil {
			panic(err) // only a malformed cell name fails, which would be a programming error
		}
	}
	instructions := [][2]string{
		{"Questionnaire", fmt.Sprintf("%s (revision %d)", v.Questionnaire.Name, v.Questionnaire.Revision)},
		{"Supplier", v.SupplierName},
		{"Assessment", v.AssessmentID},
		{"How to fill it in", "On the Questionnaire sheet, choose each answer from the drop-down in the answer column " +
			"and write any comment in the comment column. Leave an answer empty if you do not know it yet. " +
			"Do not change the question_key column, and do not type formulas: cells must hold plain values."},
		{"Required", "Every question marked yes in the required column must be answered before the questionnaire can be submitted."},
		{"Sending it back", "Upload the filled workbook on the questionnaire page, or to the address you were given. " +
			"All the answers are saved together, or none if any cell is wrong; each error names its row and column."},
		{"Evidence", "Attach evidence files (certificates, reports) on the questionnaire page, beside each question."},
	}
	for i, kv := range instructions {
		set(InstructionsSheet, fmt.Sprintf("A%d", i+1), kv[0])
		set(InstructionsSheet, fmt.Sprintf("B%d", i+1), kv[1])
	}
	_ = f.SetColWidth(InstructionsSheet, "A", "A", 20)
	_ = f.SetColWidth(InstructionsSheet, "B", "B", 110)

	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(QuestionnaireSheet, cell, h)
	}
	for i, q := range v.Questionnaire.Questions {
		row := i + 2
		required := "yes"
		if q.Optional {
			required = "optional"
		}
		for col, value := range map[string]string{colKey: q.Key, colDomain: q.Domain, colQuestion: q.Text,
			colGuidance: q.Guidance, colRequired: required, colAnswer: v.Answers[q.Key], colComment: v.Comments[q.Key]} {
			// Text cells throughout, so that an answer such as "yes" or a comment
			// starting with "=" is never taken for a formula or a number.
			if err := f.SetCellStr(QuestionnaireSheet, fmt.Sprintf("%s%d", col, row), value); err != nil {
				return fmt.Errorf("answer sheet: %w", err)
			}
		}
		for j, o := range q.Options {
			cell, _ := excelize.CoordinatesToCellName(j+1, row)
			if err := f.SetCellStr(optionsSheet, cell, o); err != nil {
				return fmt.Errorf("answer sheet: %w", err)
			}
		}
		if len(q.Options) > 0 {
			last, _ := excelize.ColumnNumberToName(len(q.Options))
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s%d", colAnswer, row)
			dv.SetSqrefDropList(fmt.Sprintf("%s!$A$%d:$%s$%d", optionsSheet, row, last, row))
			dv.SetError(excelize.DataValidationErrorStyleStop, "Not an option", "Choose one of the options in the drop-down.")
			if err := f.AddDataValidation(QuestionnaireSheet, dv); err != nil {
				return fmt.Errorf("answer sheet: %w", err)
			}
		}
	}
	_ = f.SetColWidth(QuestionnaireSheet, "A", "B", 24)
	_ = f.SetColWidth(QuestionnaireSheet, "C", "D", 60)
	_ = f.SetColWidth(QuestionnaireSheet, "F", "F", 28)
	_ = f.SetColWidth(QuestionnaireSheet, "G", "G", 50)
	_ = f.SetPanes(QuestionnaireSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err := f.SetSheetVisible(optionsSheet, false); err != nil {
		return fmt.Errorf("answer sheet: %w", err)
	}
	f.SetActiveSheet(1)
	return f.Write(w)
}

// Filled is what a filled workbook says: for each question it lists, its answer
// ("" for none) and comment ("" for none).
type Filled struct {
	AssessmentID string
	Answers      map[string]string
	Comments     map[string]string
}

// Read reads a filled workbook of the assessment's questionnaire. Every cell that
// is wrong is a field error naming its row and column (register.CodeInvalid, all at
// once): a question key that is not the questionnaire's or is listed twice, an
// answer that is not one of the question's options, a comment over 4,000
// characters, a formula anywhere, or a workbook for another assessment. Questions
// the sheet does not list are left out of Filled.
func Read(raw []byte, v register.PortalView) (Filled, error) {
	parsing <- struct{}{}
	defer func() { <-parsing }()
	if err := checkBounds(raw); err != nil {
		return Filled{}, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return Filled{}, register.Invalid(register.FieldError{Field: "body", Message: "is not an Excel workbook (.xlsx)"})
	}
	defer f.Close()
	bad := func(row int, col, format string, args ...any) register.FieldError {
		return register.FieldError{Field: "sheet", Message: fmt.Sprintf(format, args...), Row: row, Column: col}
	}
	var fe []register.FieldError
	out := Filled{Answers: map[string]string{}, Comments: map[string]string{}}
	if id, _ := f.GetCellValue(InstructionsSheet, "B3"); id != v.AssessmentID {
		return Filled{}, register.Invalid(register.FieldError{Field: "sheet",
			Message: "is not the workbook of this assessment: download this assessment's workbook and fill that one in"})
	}
	out.AssessmentID = v.AssessmentID
	rows, err := f.GetRows(QuestionnaireSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return Filled{}, register.Invalid(register.FieldError{Field: "sheet", Message: "has no " + QuestionnaireSheet + " sheet"})
	}
	if len(rows) == 0 || !sameHeaders(rows[0]) {
		return Filled{}, register.Invalid(bad(1, colKey, "must be the header row: %s", strings.Join(headers, ", ")))
	}
	if len(rows) > 2*len(v.Questionnaire.Questions)+100 {
		return Filled{}, register.Invalid(bad(len(rows), colKey, "is far beyond the questionnaire's %d questions: fill in the downloaded workbook",
			len(v.Questionnaire.Questions)))
	}
	options := map[string][]string{}
	for _, q := range v.Questionnaire.Questions {
		options[q.Key] = q.Options
	}
	seen := map[string]int{}
	for i, cells := range rows[1:] {
		row := i + 2
		cell := func(col string) string {
			n, _ := excelize.ColumnNameToNumber(col)
			if n-1 < len(cells) {
				return strings.TrimSpace(cells[n-1])
			}
			return ""
		}
		for c := 1; c <= len(cells); c++ {
			name, _ := excelize.CoordinatesToCellName(c, row)
			if formula, _ := f.GetCellFormula(QuestionnaireSheet, name); formula != "" {
				col, _ := excelize.ColumnNumberToName(c)
				fe = append(fe, bad(row, col, "is a formula; type the value itself"))
			}
		}
		key := cell(colKey)
		if key == "" && cell(colAnswer) == "" && cell(colComment) == "" {
			continue // an empty row
		}
		opts, ok := options[key]
		switch {
		case !ok:
			fe = append(fe, bad(row, colKey, "%q is not a question of this questionnaire", key))
			continue
		case seen[key] != 0:
			fe = append(fe, bad(row, colKey, "lists %s again (first on row %d)", key, seen[key]))
			continue
		}
		seen[key] = row
		answer, comment := cell(colAnswer), cell(colComment)
		if answer != "" && !contains(opts, answer) {
			fe = append(fe, bad(row, colAnswer, "%q is not an option of %s: choose one of %s", answer, key, strings.Join(opts, ", ")))
		}
		if utf8.RuneCountInString(comment) > 4000 {
			fe = append(fe, bad(row, colComment, "is over 4000 characters"))
		}
		out.Answers[key], out.Comments[key] = answer, comment
	}
	if len(fe) > 0 {
		return Filled{}, register.Invalid(fe...)
	}
	return out, nil
}

// Apply returns the answers and comments after the filled sheet: those of the
// questions it lists replaced (an empty cell clears), the others as they were.
func (s Filled) Apply(cur register.PortalAnswers) register.PortalAnswers {
	out := register.PortalAnswers{Answers: map[string]string{}, Comments: map[string]string{}}
	for k, v := range cur.Answers {
		out.Answers[k] = v
	}
	for k, v := range cur.Comments {
		out.Comments[k] = v
	}
	for k, v := range s.Answers {
		if v == "" {
			delete(out.Answers, k)
		} else {
			out.Answers[k] = v
		}
	}
	for k, v := range s.Comments {
		if v == "" {
			delete(out.Comments, k)
		} else {
			out.Comments[k] = v
		}
	}
	return out
}

// checkBounds streams the workbook's worksheets and refuses, before excelize opens
// it, a workbook with too many parts, too much to decompress, or a cell past
// maxRows or maxColumns on any sheet.
func checkBounds(raw []byte) error {
	notWorkbook := register.Invalid(register.FieldError{Field: "body", Message: "is not an Excel workbook (.xlsx)"})
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return notWorkbook
	}
	if len(z.File) > maxParts {
		return notWorkbook
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
	}
	if total > maxUnzipped {
		return register.Invalid(register.FieldError{Field: "body",
			Message: "decompresses to more than a questionnaire's workbook holds: fill in the downloaded workbook"})
	}
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return notWorkbook
		}
		err = checkSheet(io.LimitReader(rc, maxUnzipped))
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// checkSheet reads one worksheet's XML as a stream of tokens.
func checkSheet(r io.Reader) error {
	d := xml.NewDecoder(r)
	beyond := func(row int, col string) error {
		return register.Invalid(register.FieldError{Field: "sheet", Row: row, Column: col,
			Message: fmt.Sprintf("is beyond the questionnaire's rows and columns (at most %d rows and %d columns on a sheet): fill in the downloaded workbook",
				maxRows, maxColumns)})
	}
	// Rows and cells may leave out their position (r), which then follows the one
	// before: counting them bounds those too.
	rows, cells := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return register.Invalid(register.FieldError{Field: "body", Message: "is not an Excel workbook (.xlsx): a sheet cannot be read"})
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "row":
			rows, cells = rows+1, 0
			if rows > maxRows {
				return beyond(rows, "")
			}
		case "c":
			cells++
			if cells > maxColumns {
				return beyond(rows, "")
			}
		}
		for _, a := range el.Attr {
			if a.Name.Local != "r" {
				continue
			}
			switch el.Name.Local {
			case "row":
				if n, err := strconv.Atoi(a.Value); err != nil || n > maxRows {
					return beyond(n, "")
				}
			case "c":
				col, row, err := excelize.CellNameToCoordinates(a.Value)
				if err != nil || row > maxRows || col > maxColumns {
					name, _ := excelize.ColumnNumberToName(col)
					return beyond(row, name)
				}
			}
		}
	}
}

// ReadBody reads a workbook body of at most MaxBytes.
func ReadBody(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxBytes {
		return nil, ErrTooLarge
	}
	return raw, nil
}

// ErrTooLarge is a workbook over MaxBytes.
var ErrTooLarge = errors.New("answer sheet: over 32 MiB")

func sameHeaders(row []string) bool {
	if len(row) < len(headers) {
		return false
	}
	for i, h := range headers {
		if strings.TrimSpace(strings.ToLower(row[i])) != h {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
