package sheet

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbooks this package writes.
const (
	DataSheet         = "Suppliers"
	InstructionsSheet = "Instructions"
)

// docTime is the fixed creation and modification time written into every
// workbook, so that the same rows give byte-identical files.
const docTime = "2026-01-01T00:00:00Z"

func writeXLSX(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildXLSX(f, rows); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func buildXLSX(f *excelize.File, rows [][]string) error {
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "weaklink", LastModifiedBy: "weaklink",
		Title: "weaklink supplier register", Created: docTime, Modified: docTime}); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(InstructionsSheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := writeInstructions(f, bold, wrap); err != nil {
		return err
	}
	// The data sheet is streamed: an export can be large. Only one sheet is
	// streamed, which keeps the zip entries in a fixed order.
	sw, err := f.NewStreamWriter(DataSheet)
	if err != nil {
		return err
	}
	for i, c := range Columns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c.Name
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return err
	}
	vals := make([]any, len(Columns))
	for r, row := range rows {
		for i := range vals {
			vals[i] = nil
			if i < len(row) && row[i] != "" {
				vals[i] = cellValue(Columns[i], row[i])
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(r+2), vals); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(Columns), len(rows)+1)
	if err := f.AutoFilter(DataSheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// cellValue is a whole number for number columns (so a spreadsheet can sum it)
// and neutralised text for everything else.
func cellValue(c Column, v string) any {
	if c.Kind == Number {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return Escape(v)
}

func writeInstructions(f *excelize.File, bold, wrap int) error {
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(InstructionsSheet, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(InstructionsSheet, cell, cell, style)
		}
		return nil
	}
	for i, width := range []float64{26, 22, 90, 40} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(InstructionsSheet, col, col, width); err != nil {
			return err
		}
	}
	if err := set("A1", "How to fill in the "+DataSheet+" sheet", bold); err != nil {
		return err
	}
	r := 2
	for _, n := range Notes {
		if err := f.MergeCell(InstructionsSheet, "A"+strconv.Itoa(r), "D"+strconv.Itoa(r)); err != nil {
			return err
		}
		if err := set("A"+strconv.Itoa(r), n, wrap); err != nil {
			return err
		}
		if err := f.SetRowHeight(InstructionsSheet, r, 30); err != nil {
			return err
		}
		r++
	}
	r++
	for i, h := range []string{"Column", "Required", "What to enter", "Example"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, r)
		if err := set(cell, h, bold); err != nil {
			return err
		}
	}
	for _, c := range Columns {
		r++
		required := c.Required
		if required == "" {
			required = "no"
		}
		for i, v := range []string{c.Name, required, c.Description, c.Example} {
			cell, _ := excelize.CoordinatesToCellName(i+1, r)
			if err := set(cell, Escape(v), wrap); err != nil {
				return err
			}
		}
	}
	return nil
}
