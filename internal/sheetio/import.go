package sheetio

import (
	"context"
	"errors"
	"io"
	"reflect"
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
// that cannot be read is register.CodeInvalid, like a row that breaks a rule.
func (s *Service) ImportSheet(ctx context.Context, a register.Actor, r io.Reader, f sheet.Format, dryRun bool) (ImportResult, error) {
	t, err := sheet.Read(r, f)
	if err != nil {
		return ImportResult{}, sheetError(err)
	}
	return s.ImportRegister(ctx, a, t, dryRun)
}

// ImportRegister applies a spreadsheet of suppliers and their data holdings, all or
// nothing. Every row is parsed and validated by the rules of the API first; if any
// breaks one, the answer is register.CodeInvalid with every problem (row, column, message)
// and nothing is written. Otherwise one transaction creates suppliers whose name
// (ignoring case) no live supplier has, updates those whose columns differ, and
// creates or updates each row's holding (matched by supplier and category), with
// an audit event per change. Columns the sheet lacks keep their stored values; an
// import never deletes or archives. With dryRun nothing is written either way. t is
// a table as sheet.Read returns it (every row has a cell per sheet.Columns entry).
func (s *Service) ImportRegister(ctx context.Context, a register.Actor, t sheet.Table, dryRun bool) (ImportResult, error) {
	p := &importPlan{s: s, a: a, t: t, now: s.reg.Now(), res: ImportResult{DryRun: dryRun, Rows: len(t.Rows)}}
	p.parse()
	run := func(tx *store.Tx) error {
		if err := p.match(tx); err != nil {
			return err
		}
		if len(p.errs) > 0 {
			sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Row < p.errs[j].Row })
			return &register.Error{Code: register.CodeInvalid, Fields: p.errs,
				Message: "The import was rejected and nothing was changed: correct the rows listed in errors and send the whole file again."}
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
		err = s.st.Write(ctx, run)
	}
	if err != nil && !errors.Is(err, errDryRun) {
		return ImportResult{}, err
	}
	return p.res, nil
}

// importGroup is one supplier of the sheet: its rows and what becomes of it.
type importGroup struct {
	key    string
	rows   []*importRow
	cur    *register.Supplier // the live supplier of that name, if any
	action string             // register.ActionCreate, register.ActionUpdate or "" when unchanged
	out    register.Supplier
	change map[string]register.Change
}

// importRow is one row of the sheet, parsed.
type importRow struct {
	number  int
	sup     register.SupplierFields // as the row has it, normalised
	holding *register.HoldingFields // nil when the row names no data holding
	cur     *register.Holding
	action  string
	out     register.Holding
	change  map[string]register.Change
	bad     map[string]bool // columns with a cell that could not be parsed
}

type importPlan struct {
	s      *Service
	a      register.Actor
	t      sheet.Table
	now    time.Time
	groups []*importGroup
	errs   []register.FieldError
	res    ImportResult
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

// parse reads every row, groups rows by supplier and checks that rows of one
// supplier agree on its columns. It needs no database.
func (p *importPlan) parse() {
	byKey := map[string]*importGroup{}
	seen := map[[2]string]int{} // (supplier key, category) → first row
	for _, r := range p.t.Rows {
		row := &importRow{number: r.Number}
		sup, errs := parseSupplierCells(p.t, r.Cells)
		for _, e := range errs {
			p.failParse(row, e)
		}
		sup.Normalize()
		row.sup = sup
		if hasHolding(p.t, r.Cells) {
			h, errs := parseHoldingCells(p.t, r.Cells)
			for _, e := range errs {
				p.failParse(row, e)
			}
			row.holding = &h
			if h.Category == "" {
				p.fail(row, "category", "is required when other data holding columns are filled in")
			}
		}
		if sup.Name == "" {
			p.fail(row, "name", "is required")
			continue
		}
		key := strings.ToLower(sup.Name)
		g := byKey[key]
		if g == nil {
			g = &importGroup{key: key}
			byKey[key] = g
			p.groups = append(p.groups, g)
		} else {
			p.agree(g.rows[0], row)
		}
		g.rows = append(g.rows, row)
		if row.holding != nil && row.holding.Category != "" {
			k := [2]string{key, row.holding.Category}
			if first, dup := seen[k]; dup {
				p.fail(row, "category", "repeats row "+strconv.Itoa(first)+": a supplier holds each category once, so give it one row per category")
			} else {
				seen[k] = r.Number
			}
		}
	}
}

// agree reports each supplier column in which row differs from the supplier's first row.
func (p *importPlan) agree(first, row *importRow) {
	a, b := register.Snapshot(first.sup), register.Snapshot(row.sup)
	for i, c := range p.t.Present {
		col := sheet.Columns[i]
		if !c || col.Group != sheet.SupplierColumn {
			continue
		}
		field := col.Name
		if i == colName {
			field = "name"
		}
		if !reflect.DeepEqual(a[field], b[field]) {
			p.fail(row, field, "differs from row "+strconv.Itoa(first.number)+
				", the supplier's first row: every row of a supplier repeats its supplier columns exactly")
		}
	}
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
