package register

import (
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// Bulk reads and writes of suppliers and their data holdings, in the caller's
// transaction: the surface through which the spreadsheet import and export
// (internal/sheetio) reach the register. Each runs a fixed number of statements,
// however many rows it touches, and writes exactly the audit events that one-at-a-
// time use cases would.

// BulkChange is one supplier or data holding to create or update, with the audit
// event's changes. Exactly one of Supplier and Holding is set; it carries its new
// version and timestamps (version 1 when created).
type BulkChange struct {
	Action   string // ActionCreate or ActionUpdate
	Supplier *Supplier
	Holding  *Holding
	Changes  map[string]Change
}

// SuppliersByNameKey returns the live suppliers whose lowercased name is one of keys.
func (s *Service) SuppliersByNameKey(tx *store.Tx, keys []string) ([]Supplier, error) {
	rows, err := tx.LiveSuppliersByNameKey(keys)
	if err != nil {
		return nil, err
	}
	out := make([]Supplier, len(rows))
	for i, r := range rows {
		out[i] = supplierFromRow(r)
	}
	return out, nil
}

// HoldingsOfSuppliers returns the data holdings of the given suppliers.
func (s *Service) HoldingsOfSuppliers(tx *store.Tx, supplierIDs []string) ([]Holding, error) {
	rows, err := tx.HoldingsOfSuppliers(supplierIDs)
	if err != nil {
		return nil, err
	}
	return holdingsFromRows(rows), nil
}

// CategoryKeys returns the set of keys in the data category catalogue.
func (s *Service) CategoryKeys(tx *store.Tx) (map[string]bool, error) {
	cats, err := tx.ListCategories()
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		known[c.Key] = true
	}
	return known, nil
}

// LiveSuppliersWithHoldings returns every live supplier by name (ignoring case), and
// every data holding of a live supplier ordered by supplier id and category.
func (s *Service) LiveSuppliersWithHoldings(tx *store.Tx) ([]Supplier, []Holding, error) {
	rows, err := tx.LiveSuppliersByName()
	if err != nil {
		return nil, nil, err
	}
	hrows, err := tx.HoldingsOfLiveSuppliers()
	if err != nil {
		return nil, nil, err
	}
	sups := make([]Supplier, len(rows))
	for i, r := range rows {
		sups[i] = supplierFromRow(r)
	}
	return sups, holdingsFromRows(hrows), nil
}

func holdingsFromRows(rows []store.HoldingRow) []Holding {
	out := make([]Holding, len(rows))
	for i, r := range rows {
		out[i] = holdingFromRow(r)
	}
	return out
}

// ApplyBulk writes changes in the caller's write transaction, which the caller
// has validated (SupplierFields.Validate, HoldingFields.Validate): changed rows
// first (a renamed supplier may free the name a new one takes), then new ones, in
// multi-row statements; then one audit event per change, in the order given,
// chained and appended in batches. A name another live supplier took meanwhile is
// CodeConflict; a row changed meanwhile is CodePreconditionFailed. The stored risk
// figures are not maintained here: the caller calls MaintainRiskAfterBulk once, after
// its last ApplyBulk, in the same transaction.
func (s *Service) ApplyBulk(tx *store.Tx, a Actor, changes []BulkChange, at time.Time) error {
	head, err := tx.AuditHead()
	if err != nil {
		return err
	}
	audit := auditBatch{s: s, a: a, head: head}
	var newSups, changedSups []store.SupplierRow
	var newHoldings, changedHoldings []store.HoldingRow
	for _, c := range changes {
		created := c.Action == ActionCreate
		switch {
		case c.Supplier != nil:
			row := supplierToRow(*c.Supplier)
			if created {
				newSups = append(newSups, row)
			} else {
				changedSups = append(changedSups, row)
			}
			audit.add(c.Action, ResourceSupplier, c.Supplier.ID, c.Changes, at)
		case c.Holding != nil:
			row := holdingToRow(*c.Holding)
			if created {
				newHoldings = append(newHoldings, row)
			} else {
				changedHoldings = append(changedHoldings, row)
			}
			audit.add(c.Action, ResourceHolding, c.Holding.ID, c.Changes, at)
		}
	}
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

// MaintainRiskAfterBulk brings the stored risk figures up to date with bulk writes
// (ApplyBulk) of the caller's transaction, once all of them are applied: the
// suppliers named are those whose own inputs the writes changed.
func (s *Service) MaintainRiskAfterBulk(tx *store.Tx, suppliers []string) error {
	return s.maintainRisk(tx, riskChange{suppliers: unionOf(suppliers)})
}

// CatchUpRisk brings the stored risk figures past their valid_until up to date, each
// at the moment its date took effect, inside the caller's write transaction and
// before it changes anything: what a write then changes is recorded at its own moment.
// Packages that write in bulk (the spreadsheet import) call it first.
func (s *Service) CatchUpRisk(tx *store.Tx) error { return s.catchUp(tx) }

// ValidKey reports whether s has the shape of a catalogue key (^[a-z0-9_]{1,64}$).
func ValidKey(s string) bool { return keyPattern.MatchString(s) }
