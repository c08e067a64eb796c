package sheetio

import (
	"context"
	"io"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheet"
	"github.com/weaklink/weaklink/internal/store"
)

// SheetFormat is a spreadsheet file format of import and export (CSV or XLSX); the
// layout itself is internal/sheet's.
type SheetFormat = sheet.Format

// The spreadsheet formats.
const (
	SheetCSV  = sheet.CSV
	SheetXLSX = sheet.XLSX
)

// SheetFormats lists the formats import and export accept.
var SheetFormats = []SheetFormat{SheetCSV, SheetXLSX}

// ParseSheetFormat accepts "csv" or "xlsx" in any case.
func ParseSheetFormat(s string) (SheetFormat, bool) { return sheet.ParseFormat(s) }

// MaxImportRows is the most data rows one import file may have.
const MaxImportRows = sheet.MaxRows

// ExportRegister returns every live supplier and its data holdings as rows of the
// import layout (cells in sheet.Columns order): one row per holding, or one row
// with empty holding columns for a supplier that holds none; by supplier name
// (ignoring case), then category. It reads one snapshot in two statements.
// Importing the rows into the same register changes nothing; importing them into
// an empty one recreates the suppliers and holdings.
func (s *Service) ExportRegister(ctx context.Context) ([][]string, error) {
	var (
		sups     []register.Supplier
		holdings []register.Holding
	)
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		sups, holdings, err = s.reg.LiveSuppliersWithHoldings(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Holdings come ordered by supplier id and category.
	bySupplier := make(map[string][]register.Holding, len(sups))
	for _, h := range holdings {
		bySupplier[h.SupplierID] = append(bySupplier[h.SupplierID], h)
	}
	rows := make([][]string, 0, len(holdings)+len(sups))
	for _, sup := range sups {
		hs := bySupplier[sup.ID]
		if len(hs) == 0 {
			rows = append(rows, exportCells(sup, nil))
		}
		for i := range hs {
			rows = append(rows, exportCells(sup, &hs[i]))
		}
	}
	return rows, nil
}

// ExportSheet writes the register as CSV or XLSX in the import layout.
func (s *Service) ExportSheet(ctx context.Context, w io.Writer, f sheet.Format) error {
	rows, err := s.ExportRegister(ctx)
	if err != nil {
		return err
	}
	return sheet.Write(w, f, rows)
}

// WriteImportTemplate writes the empty import layout: the header row and, in XLSX,
// the Instructions sheet describing each column.
func WriteImportTemplate(w io.Writer, f sheet.Format) error {
	return sheet.Write(w, f, nil)
}
