package register

import (
	"errors"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// match loads the live suppliers the sheet names and their holdings, merges each
// row over what is stored, validates the result and decides what to write. It runs
// a fixed number of statements, however many rows there are.
func (p *importPlan) match(tx *store.Tx) error {
	cats, err := tx.ListCategories()
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		known[c.Key] = true
	}
	keys := make([]string, len(p.groups))
	for i, g := range p.groups {
		keys[i] = g.key
	}
	sups, err := tx.LiveSuppliersByNameKey(keys)
	if err != nil {
		return err
	}
	byKey := make(map[string]Supplier, len(sups))
	ids := make([]string, 0, len(sups))
	for _, r := range sups {
		byKey[r.NameKey] = supplierFromRow(r)
		ids = append(ids, r.ID)
	}
	hrows, err := tx.HoldingsOfSuppliers(ids)
	if err != nil {
		return err
	}
	holdings := make(map[[2]string]Holding, len(hrows))
	for _, r := range hrows {
		holdings[[2]string{r.SupplierID, r.CategoryKey}] = holdingFromRow(r)
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

func (p *importPlan) matchSupplier(g *importGroup, byKey map[string]Supplier, today string) {
	first := g.rows[0]
	var f SupplierFields
	if cur, ok := byKey[g.key]; ok {
		g.cur = &cur
		f = cur.SupplierFields
	}
	overlaySupplier(&f, first.sup, p.t)
	f.normalize()
	if err := f.validate(today); err != nil {
		var de *Error
		if errors.As(err, &de) {
			for _, fe := range de.Fields {
				p.fail(first, fe.Field, fe.Message)
			}
		}
		return
	}
	switch {
	case g.cur == nil:
		g.action, g.change = ActionCreate, diff(nil, snapshot(f))
		g.out = Supplier{SupplierFields: f, ID: p.s.newID(), Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
		p.res.Suppliers.Created++
	default:
		g.out = *g.cur
		if g.change = diff(snapshot(g.cur.SupplierFields), snapshot(f)); len(g.change) == 0 {
			p.res.Suppliers.Unchanged++
			return
		}
		g.action = ActionUpdate
		g.out.SupplierFields, g.out.Version, g.out.UpdatedAt = f, g.cur.Version+1, p.now
		p.res.Suppliers.Updated++
	}
}

func (p *importPlan) matchHolding(g *importGroup, row *importRow, holdings map[[2]string]Holding, known map[string]bool, today string) {
	var f HoldingFields
	if g.cur != nil {
		if cur, ok := holdings[[2]string{g.cur.ID, row.holding.Category}]; ok {
			row.cur = &cur
			f = cur.HoldingFields
		}
	}
	overlayHolding(&f, *row.holding, p.t)
	f.normalize()
	fe := f.validate(today)
	if keyPattern.MatchString(f.Category) && !known[f.Category] {
		fe.add("category", "is not a data category in the catalogue (see GET /api/v1/data-categories)")
	}
	for _, e := range fe {
		p.fail(row, e.Field, e.Message)
	}
	if len(fe) > 0 {
		return
	}
	switch {
	case row.cur == nil:
		row.action, row.change = ActionCreate, diff(nil, snapshot(f))
		row.change["supplier_id"] = Change{After: g.out.ID}
		row.out = Holding{HoldingFields: f, ID: p.s.newID(), SupplierID: g.out.ID, Version: 1, CreatedAt: p.now, UpdatedAt: p.now}
		p.res.Holdings.Created++
	default:
		row.out = *row.cur
		if row.change = diff(snapshot(row.cur.HoldingFields), snapshot(f)); len(row.change) == 0 {
			p.res.Holdings.Unchanged++
			return
		}
		row.action = ActionUpdate
		row.out.HoldingFields, row.out.Version, row.out.UpdatedAt = f, row.cur.Version+1, p.now
		p.res.Holdings.Updated++
	}
}

// write applies the plan: new rows in multi-row inserts, changed rows one update
// each, and the audit events (supplier first, then its holdings, in sheet order)
// chained and appended in batches.
func (p *importPlan) write(tx *store.Tx) error {
	head, err := tx.AuditHead()
	if err != nil {
		return err
	}
	audit := auditBatch{s: p.s, a: p.a, head: head}
	var newSups, changedSups []store.SupplierRow
	var newHoldings, changedHoldings []store.HoldingRow
	for _, g := range p.groups {
		switch g.action {
		case ActionCreate:
			newSups = append(newSups, supplierToRow(g.out))
		case ActionUpdate:
			changedSups = append(changedSups, supplierToRow(g.out))
		}
		if g.action != "" {
			audit.add(g.action, ResourceSupplier, g.out.ID, g.change, p.now)
		}
		for _, r := range g.rows {
			switch r.action {
			case ActionCreate:
				newHoldings = append(newHoldings, holdingToRow(r.out))
			case ActionUpdate:
				changedHoldings = append(changedHoldings, holdingToRow(r.out))
			}
			if r.action != "" {
				audit.add(r.action, ResourceHolding, r.out.ID, r.change, p.now)
			}
		}
	}
	// Changed rows first: a renamed supplier may free the name a new one takes.
	if err := tx.UpdateSuppliers(changedSups); err != nil {
		return supplierWriteError(err, "")
	}
	if err := tx.UpdateHoldings(changedHoldings); err != nil {
		return staleOr(err, "data holding")
	}
	if err := tx.InsertSuppliers(newSups); err != nil {
		return supplierWriteError(err, "")
	}
	if err := tx.InsertHoldings(newHoldings); err != nil {
		return err
	}
	return audit.flush(tx)
}
