package sheetio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheet"
	"github.com/weaklink/weaklink/internal/store"
)

// ImportCounts says what an import did to one kind of resource.
type ImportCounts struct {
	Created, Updated, Unchanged int
}

// ImportResult is the outcome of an import (or, with DryRun, what it would do).
type ImportResult struct {
	DryRun    bool
	Rows      int
	Suppliers ImportCounts
	Holdings  ImportCounts
}

// errDryRun ends a dry run's transaction without committing.
var errDryRun = errors.New("dry run")

// ImportSheet reads a CSV or XLSX file and imports it (see ImportRegister). A file
// that cannot be read is register.CodeInvalid, like a row that breaks a rule. The
// rows are kept in a temporary file while the import reads them, so memory stays
// bounded whatever the file's size (sheet.SpoolRows).
func (s *Service) ImportSheet(ctx context.Context, a register.Actor, r io.Reader, f sheet.Format, dryRun bool) (ImportResult, error) {
	spool, err := sheet.SpoolRows(r, f)
	if err != nil {
		return ImportResult{}, sheetError(err)
	}
	defer spool.Close()
	return s.importRows(ctx, a, spool, dryRun)
}

// ImportRegister applies a spreadsheet of suppliers and their data holdings, all or
// nothing. Every row is parsed and validated by the rules of the API first; if any
// breaks one, the answer is register.CodeInvalid with every problem (row, column,
// message; at most sheet.MaxProblems of them, then one saying how many more) and
// nothing is written. Otherwise one transaction creates suppliers whose name
// (ignoring case) no live supplier has, updates those whose columns differ, and
// creates or updates each row's holding (matched by supplier and category), with
// an audit event per change, in the order of the sheet. Columns the sheet lacks
// keep their stored values; an import never deletes or archives. With dryRun
// nothing is written either way. t is a table as sheet.Read returns it.
func (s *Service) ImportRegister(ctx context.Context, a register.Actor, t sheet.Table, dryRun bool) (ImportResult, error) {
	return s.importRows(ctx, a, t, dryRun)
}

// rows is what an import reads: a sheet.Table in memory or a sheet.Spool on disk,
// read once for the supplier names, once to check every row and once to write.
type rows interface {
	Has(i int) bool
	Len() int
	Each(fn func(sheet.Row) error) error
}

func (s *Service) importRows(ctx context.Context, a register.Actor, t rows, dryRun bool) (ImportResult, error) {
	p := &importPlan{s: s, a: a, t: t, now: s.reg.Now(), res: ImportResult{DryRun: dryRun, Rows: t.Len()}}
	if err := p.collectNames(); err != nil {
		return ImportResult{}, err
	}
	run := func(tx *store.Tx) error {
		if err := p.load(tx); err != nil {
			return err
		}
		if err := p.check(); err != nil {
			return err
		}
		if len(p.errs) > 0 {
			return p.rejection()
		}
		if dryRun {
			return errDryRun
		}
		return p.write(tx)
	}
	var err error
	if dryRun {
		err = s.st.Read(ctx, run)
	} else {
		err = s.st.Write(ctx, func(tx *store.Tx) error {
			// Figures a date changed are brought up to date before the import changes anything.
			if err := s.reg.CatchUpRisk(tx); err != nil {
				return err
			}
			return run(tx)
		})
	}
	if err != nil && !errors.Is(err, errDryRun) {
		return ImportResult{}, err
	}
	return p.res, nil
}

// importGroup is one supplier of the sheet. Only what the checks need is kept per
// supplier, never its rows, so that memory does not grow with the file's text.
type importGroup struct {
	first int                // the supplier's first row, 0 until the check reaches it
	cells cellHashes         // the first row's supplier cells, hashed
	cur   *register.Supplier // the live supplier of that name, if any
	id    string             // the supplier's id once written
}

// importRow is one row while it is checked or written.
type importRow struct {
	number int
	bad    map[string]bool // columns with a cell that could not be parsed
}

type importPlan struct {
	s        *Service
	a        register.Actor
	t        rows
	now      time.Time
	groups   map[string]*importGroup
	keys     []string // group keys in sheet order
	known    map[string]bool
	holdings map[[2]string]register.Holding // live holdings by supplier id and category
	seen     map[groupCategory]int          // first row of each supplier and category
	errs     []register.FieldError
	more     int // problems beyond sheet.MaxProblems
	res      ImportResult
}

type groupCategory struct {
	g        *importGroup
	category string
}

// fail records a problem at a row; field is the column or an element of it, in the
// API's field names (name for supplier_name). A column that could not be parsed
// is reported once: validation of the value left empty would only repeat it.
func (p *importPlan) fail(row *importRow, field, message string) {
	if field == "name" || strings.HasPrefix(field, "name[") || strings.HasPrefix(field, "name.") {
		field = "supplier_name" + strings.TrimPrefix(field, "name")
	}
	column := field
	if i := strings.IndexAny(column, "[."); i >= 0 {
		column = column[:i]
	}
	if row.bad[column] {
		return
	}
	if len(p.errs) >= sheet.MaxProblems {
		p.more++
		return
	}
	p.errs = append(p.errs, register.FieldError{Field: "rows[" + strconv.Itoa(row.number) + "]." + field, Message: message,
		Row: row.number, Column: column})
}

// failParse records a cell that could not be parsed.
func (p *importPlan) failParse(row *importRow, e cellErr) {
	p.fail(row, e.field, e.message)
	if row.bad == nil {
		row.bad = map[string]bool{}
	}
	column := e.field
	if i := strings.IndexAny(column, "[."); i >= 0 {
		column = column[:i]
	}
	row.bad[column] = true
}

// rejection is the error listing every problem found.
func (p *importPlan) rejection() error {
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Row < p.errs[j].Row })
	if p.more > 0 {
		p.errs = append(p.errs, register.FieldError{Field: "body",
			Message: fmt.Sprintf("has %d more problems not listed here; correct those listed and import the file again", p.more)})
	}
	return &register.Error{Code: register.CodeInvalid, Fields: p.errs,
		Message: "The import was rejected and nothing was changed: correct the rows listed in errors and send the whole file again."}
}

// collectNames reads the supplier names, the one thing the register must be asked
// about before rows can be checked. It needs no database.
func (p *importPlan) collectNames() error {
	p.groups = map[string]*importGroup{}
	return p.t.Each(func(r sheet.Row) error {
		name := strings.TrimSpace(r.Cells[colName])
		if name == "" {
			return nil
		}
		key := strings.ToLower(name)
		if p.groups[key] == nil {
			key = strings.Clone(key) // not the row's text, which would stay in memory with it
			p.groups[key] = &importGroup{}
			p.keys = append(p.keys, key)
		}
		return nil
	})
}

// sheetError turns a file that cannot be read into a validation error.
func sheetError(err error) error {
	var probs sheet.Problems
	switch {
	case errors.As(err, &probs):
		fields := make([]register.FieldError, len(probs))
		for i, pr := range probs {
			field := "body"
			switch {
			case pr.Header:
				field = "header"
			case pr.Row > 0 && pr.Column != "" && !strings.HasPrefix(pr.Column, "column "):
				field = "rows[" + strconv.Itoa(pr.Row) + "]." + pr.Column
			case pr.Row > 0:
				field = "rows[" + strconv.Itoa(pr.Row) + "]"
			}
			fields[i] = register.FieldError{Field: field, Message: pr.Message, Row: pr.Row, Column: pr.Column}
		}
		return &register.Error{Code: register.CodeInvalid, Fields: fields,
			Message: "The file could not be imported and nothing was changed: correct it and send it again."}
	case errors.Is(err, sheet.ErrNotXLSX):
		return register.Invalid(register.FieldError{Field: "body", Message: "is not an XLSX workbook (save it from your spreadsheet program as Excel Workbook, .xlsx, without a password)"})
	}
	return err
}
