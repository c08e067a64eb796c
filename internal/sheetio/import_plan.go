package sheetio

import (
	"errors"
	"hash/maphash"
	"strconv"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheet"
	"github.com/weaklink/weaklink/internal/store"
)

// writeBatch is how many changes go to the register's bulk write at once: enough
// for few statements, few enough that a large file's changes are never all in
// memory together.
const writeBatch = 2000

// load reads the catalogue, the live suppliers the sheet names and their holdings,
// in a fixed number of statements however many rows there are.
func (p *importPlan) load(tx *store.Tx) error {
	reg := p.s.reg
	known, err := reg.CategoryKeys(tx)
	if err != nil {
		return err
	}
	sups, err := reg.SuppliersByNameKey(tx, p.keys)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(sups))
	for _, g := range p.groups {
		g.cur = nil
	}
	for _, sup := range sups {
		if g := p.groups[strings.ToLower(sup.Name)]; g != nil {
			g.cur = &sup
			ids = append(ids, sup.ID)
		}
	}
	hs, err := reg.HoldingsOfSuppliers(tx, ids)
	if err != nil {
		return err
	}
	p.known = known
	p.holdings = make(map[[2]string]register.Holding, len(hs))
	for _, h := range hs {
		p.holdings[[2]string{h.SupplierID, h.Category}] = h
	}
	return nil
}

// check reads every row, merges it over what is stored, validates the result and
// counts what would change; problems go to p.errs. It keeps a few words per
// supplier and per (supplier, category), never the rows themselves.
func (p *importPlan) check() error {
	p.errs, p.more, p.seen = nil, 0, map[groupCategory]int{}
	p.res.Suppliers, p.res.Holdings = ImportCounts{}, ImportCounts{}
	for _, g := range p.groups {
		g.first, g.id = 0, ""
	}
	today := p.now.Format(time.DateOnly)
	return p.t.Each(func(r sheet.Row) error {
		p.visit(r, today, nil)
		return nil
	})
}

// write reads the rows a last time and applies them, in sheet order (a supplier
// before its holdings), each change with its audit event, through the register's
// bulk write in batches of writeBatch.
func (p *importPlan) write(tx *store.Tx) error {
	for _, g := range p.groups {
		g.first = 0
	}
	w := &bulkWriter{p: p, tx: tx}
	today := p.now.Format(time.DateOnly)
	err := p.t.Each(func(r sheet.Row) error {
		p.visit(r, today, w)
		return w.err
	})
	if err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	return p.s.reg.MaintainRiskAfterBulk(tx, w.touched)
}

// visit parses, checks and (with w) writes one row.
func (p *importPlan) visit(r sheet.Row, today string, w *bulkWriter) {
	row := &importRow{number: r.Number}
	sup, errs := parseSupplierCells(p.t, r.Cells)
	for _, e := range errs {
		p.failParse(row, e)
	}
	sup.Normalize()
	var h *register.HoldingFields
	if hasHolding(p.t, r.Cells) {
		hf, errs := parseHoldingCells(p.t, r.Cells)
		for _, e := range errs {
			p.failParse(row, e)
		}
		h = &hf
		if hf.Category == "" {
			p.fail(row, "category", "is required when other data holding columns are filled in")
		}
	}
	if sup.Name == "" {
		p.fail(row, "name", "is required")
		return
	}
	g := p.groups[strings.ToLower(sup.Name)]
	if g.first == 0 {
		g.first, g.cells = row.number, fingerprint(p.t, sup)
		p.supplier(g, row, sup, today, w)
	} else if w == nil {
		p.agree(g, row, sup)
	}
	if h == nil || h.Category == "" {
		return
	}
	if w == nil {
		k := groupCategory{g, h.Category}
		if first, dup := p.seen[k]; dup {
			p.fail(row, "category", "repeats row "+strconv.Itoa(first)+": a supplier holds each category once, so give it one row per category")
		} else {
			k.category = strings.Clone(k.category)
			p.seen[k] = row.number
		}
	}
	p.holding(g, row, *h, today, w)
}

var cellSeed = maphash.MakeSeed()

// supplierColumns is the number of supplier columns, which come first in
// sheet.Columns (a test keeps it equal to the position of category).
const supplierColumns = 13

// cellHashes are a row's supplier cells, hashed.
type cellHashes [supplierColumns]uint64

// fingerprint hashes each supplier column the sheet has as an export would write
// it, so that later rows of the supplier can be compared with its first.
func fingerprint(t rows, sup register.SupplierFields) cellHashes {
	cells := exportCells(register.Supplier{SupplierFields: sup}, nil)
	var out cellHashes
	for i := range out {
		if t.Has(i) {
			out[i] = maphash.String(cellSeed, cells[i])
		}
	}
	return out
}

// agree reports each supplier column in which row differs from the supplier's first row.
func (p *importPlan) agree(g *importGroup, row *importRow, sup register.SupplierFields) {
	cells := fingerprint(p.t, sup)
	for i, c := range cells {
		if c == g.cells[i] {
			continue
		}
		field := sheet.Columns[i].Name
		if i == colName {
			field = "name"
		}
		p.fail(row, field, "differs from row "+strconv.Itoa(g.first)+
			", the supplier's first row: every row of a supplier repeats its supplier columns exactly")
	}
}

// supplier merges a supplier's first row over the stored supplier, validates it
// and decides what becomes of it; with w it writes that.
func (p *importPlan) supplier(g *importGroup, row *importRow, sup register.SupplierFields, today string, w *bulkWriter) {
	var f register.SupplierFields
	if g.cur != nil {
		f = g.cur.SupplierFields
	}
	overlaySupplier(&f, sup, p.t)
	f.Normalize()
	if err := f.Validate(today); err != nil {
		var de *register.Error
		if errors.As(err, &de) {
			for _, fe := range de.Fields {
				p.fail(row, fe.Field, fe.Message)
			}
		}
		return
	}
	if g.cur == nil {
		p.count(&p.res.Suppliers.Created, w)
		if w != nil {
			g.id = p.s.reg.NewID()
			out := register.Supplier{SupplierFields: f, ID: g.id, Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
			w.add(register.BulkChange{Action: register.ActionCreate, Supplier: &out, Changes: register.Diff(nil, register.Snapshot(f))})
		}
		return
	}
	g.id = g.cur.ID
	change := register.Diff(register.Snapshot(g.cur.SupplierFields), register.Snapshot(f))
	if len(change) == 0 {
		p.count(&p.res.Suppliers.Unchanged, w)
		return
	}
	p.count(&p.res.Suppliers.Updated, w)
	if w != nil {
		out := *g.cur
		out.SupplierFields, out.Version, out.UpdatedAt = f, g.cur.Version+1, p.now
		w.add(register.BulkChange{Action: register.ActionUpdate, Supplier: &out, Changes: change})
	}
}

// holding merges a row's holding over the stored one, validates it and decides
// what becomes of it; with w it writes that.
func (p *importPlan) holding(g *importGroup, row *importRow, h register.HoldingFields, today string, w *bulkWriter) {
	var f register.HoldingFields
	var cur *register.Holding
	if g.cur != nil {
		if c, ok := p.holdings[[2]string{g.cur.ID, h.Category}]; ok {
			cur, f = &c, c.HoldingFields
		}
	}
	overlayHolding(&f, h, p.t)
	f.Normalize()
	fe := f.Validate(today)
	if register.ValidKey(f.Category) && !p.known[f.Category] {
		fe = append(fe, register.FieldError{Field: "category", Message: "is not a data category in the catalogue (see GET /api/v1/data-categories)"})
	}
	for _, e := range fe {
		p.fail(row, e.Field, e.Message)
	}
	if len(fe) > 0 {
		return
	}
	if cur == nil {
		p.count(&p.res.Holdings.Created, w)
		if w != nil {
			change := register.Diff(nil, register.Snapshot(f))
			change["supplier_id"] = register.Change{After: g.id}
			out := register.Holding{HoldingFields: f, ID: p.s.reg.NewID(), SupplierID: g.id, Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
			w.add(register.BulkChange{Action: register.ActionCreate, Holding: &out, Changes: change})
		}
		return
	}
	change := register.Diff(register.Snapshot(cur.HoldingFields), register.Snapshot(f))
	if len(change) == 0 {
		p.count(&p.res.Holdings.Unchanged, w)
		return
	}
	p.count(&p.res.Holdings.Updated, w)
	if w != nil {
		out := *cur
		out.HoldingFields, out.Version, out.UpdatedAt = f, cur.Version+1, p.now
		w.add(register.BulkChange{Action: register.ActionUpdate, Holding: &out, Changes: change})
	}
}

// count adds one to a result count during the check (the write only repeats it).
func (p *importPlan) count(n *int, w *bulkWriter) {
	if w == nil {
		*n++
	}
}

// bulkWriter hands changes to the register's bulk write in batches.
type bulkWriter struct {
	p     *importPlan
	tx    *store.Tx
	batch []register.BulkChange
	err   error
	// touched are the suppliers whose own inputs the batches changed.
	touched []string
}

func (w *bulkWriter) add(c register.BulkChange) {
	w.batch = append(w.batch, c)
	switch {
	case c.Supplier != nil:
		w.touched = append(w.touched, c.Supplier.ID)
	case c.Holding != nil:
		w.touched = append(w.touched, c.Holding.SupplierID)
	}
	if len(w.batch) >= writeBatch {
		w.err = w.flush()
	}
}

func (w *bulkWriter) flush() error {
	if w.err != nil || len(w.batch) == 0 {
		return w.err
	}
	err := w.p.s.reg.ApplyBulk(w.tx, w.p.a, w.batch, w.p.now)
	w.batch = nil
	return err
}
