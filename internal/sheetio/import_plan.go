package sheetio

import (
	"errors"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// match loads the live suppliers the sheet names and their holdings, merges each
// row over what is stored, validates the result and decides what to write. It runs
// a fixed number of statements, however many rows there are.
func (p *importPlan) match(tx *store.Tx) error {
	reg := p.s.reg
	known, err := reg.CategoryKeys(tx)
	if err != nil {
		return err
	}
	keys := make([]string, len(p.groups))
	for i, g := range p.groups {
		keys[i] = g.key
	}
	sups, err := reg.SuppliersByNameKey(tx, keys)
	if err != nil {
		return err
	}
	byKey := make(map[string]register.Supplier, len(sups))
	ids := make([]string, 0, len(sups))
	for _, sup := range sups {
		byKey[strings.ToLower(sup.Name)] = sup
		ids = append(ids, sup.ID)
	}
	hs, err := reg.HoldingsOfSuppliers(tx, ids)
	if err != nil {
		return err
	}
	holdings := make(map[[2]string]register.Holding, len(hs))
	for _, h := range hs {
		holdings[[2]string{h.SupplierID, h.Category}] = h
	}
	today := p.now.Format(time.DateOnly)
	for _, g := range p.groups {
		p.matchSupplier(g, byKey, today)
		for _, row := range g.rows {
			if row.holding != nil && row.holding.Category != "" {
				p.matchHolding(g, row, holdings, known, today)
			}
		}
	}
	return nil
}

func (p *importPlan) matchSupplier(g *importGroup, byKey map[string]register.Supplier, today string) {
	first := g.rows[0]
	var f register.SupplierFields
	if cur, ok := byKey[g.key]; ok {
		g.cur = &cur
		f = cur.SupplierFields
	}
	overlaySupplier(&f, first.sup, p.t)
	f.Normalize()
	if err := f.Validate(today); err != nil {
		var de *register.Error
		if errors.As(err, &de) {
			for _, fe := range de.Fields {
				p.fail(first, fe.Field, fe.Message)
			}
		}
		return
	}
	switch {
	case g.cur == nil:
		g.action, g.change = register.ActionCreate, register.Diff(nil, register.Snapshot(f))
		g.out = register.Supplier{SupplierFields: f, ID: p.s.reg.NewID(), Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
		p.res.Suppliers.Created++
	default:
		g.out = *g.cur
		if g.change = register.Diff(register.Snapshot(g.cur.SupplierFields), register.Snapshot(f)); len(g.change) == 0 {
			p.res.Suppliers.Unchanged++
			return
		}
		g.action = register.ActionUpdate
		g.out.SupplierFields, g.out.Version, g.out.UpdatedAt = f, g.cur.Version+1, p.now
		p.res.Suppliers.Updated++
	}
}

func (p *importPlan) matchHolding(g *importGroup, row *importRow, holdings map[[2]string]register.Holding, known map[string]bool, today string) {
	var f register.HoldingFields
	if g.cur != nil {
		if cur, ok := holdings[[2]string{g.cur.ID, row.holding.Category}]; ok {
			row.cur = &cur
			f = cur.HoldingFields
		}
	}
	overlayHolding(&f, *row.holding, p.t)
	f.Normalize()
	fe := f.Validate(today)
	if register.ValidKey(f.Category) && !known[f.Category] {
		fe = append(fe, register.FieldError{Field: "category", Message: "is not a data category in the catalogue (see GET /api/v1/data-categories)"})
	}
	for _, e := range fe {
		p.fail(row, e.Field, e.Message)
	}
	if len(fe) > 0 {
		return
	}
	switch {
	case row.cur == nil:
		row.action, row.change = register.ActionCreate, register.Diff(nil, register.Snapshot(f))
		row.change["supplier_id"] = register.Change{After: g.out.ID}
		row.out = register.Holding{HoldingFields: f, ID: p.s.reg.NewID(), SupplierID: g.out.ID, Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
		p.res.Holdings.Created++
	default:
		row.out = *row.cur
		if row.change = register.Diff(register.Snapshot(row.cur.HoldingFields), register.Snapshot(f)); len(row.change) == 0 {
			p.res.Holdings.Unchanged++
			return
		}
		row.action = register.ActionUpdate
		row.out.HoldingFields, row.out.Version, row.out.UpdatedAt = f, row.cur.Version+1, p.now
		p.res.Holdings.Updated++
	}
}

// write applies the plan: suppliers and holdings in sheet order (a supplier first,
// then its holdings), each with its audit event, through the register's bulk write.
func (p *importPlan) write(tx *store.Tx) error {
	var changes []register.BulkChange
	for _, g := range p.groups {
		if g.action != "" {
			changes = append(changes, register.BulkChange{Action: g.action, Supplier: &g.out, Changes: g.change})
		}
		for _, r := range g.rows {
			if r.action != "" {
				changes = append(changes, register.BulkChange{Action: r.action, Holding: &r.out, Changes: r.change})
			}
		}
	}
	return p.s.reg.ApplyBulk(tx, p.a, changes, p.now)
}
