package store

import (
	"fmt"

	"gorm.io/gorm/clause"
)

// Bulk reads and writes for spreadsheet import and export. Multi-row statements stay
// well under SQLite's limit of 32,766 bound parameters (PostgreSQL allows 65,535):
// insertBatch rows of at most 20 columns bind at most 10,000 parameters, and IN
// lists bind at most bindBatch.

// insertBatch is the number of rows per multi-row INSERT.
const insertBatch = 500

// LiveSuppliersByNameKey returns the live suppliers whose name_key is one of keys.
func (t *Tx) LiveSuppliersByNameKey(keys []string) ([]SupplierRow, error) {
	var out []SupplierRow
	for start := 0; start < len(keys); start += bindBatch {
		var rows []SupplierRow
		err := t.db.Where("archived_at IS NULL AND name_key IN ?", keys[start:min(start+bindBatch, len(keys))]).Find(&rows).Error
		if err != nil {
			return nil, translate("suppliers by name", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// HoldingsOfSuppliers returns every holding of the given suppliers.
func (t *Tx) HoldingsOfSuppliers(ids []string) ([]HoldingRow, error) {
	var out []HoldingRow
	for start := 0; start < len(ids); start += bindBatch {
		var rows []HoldingRow
		err := t.db.Where("supplier_id IN ?", ids[start:min(start+bindBatch, len(ids))]).Find(&rows).Error
		if err != nil {
			return nil, translate("holdings of suppliers", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// InsertSuppliers stores new suppliers in multi-row statements. ErrDuplicate when a
// live supplier already has one of the names.
func (t *Tx) InsertSuppliers(rows []SupplierRow) error {
	if len(rows) == 0 {
		return nil
	}
	return translate("insert suppliers", t.db.CreateInBatches(&rows, insertBatch).Error)
}

// InsertHoldings stores new holdings in multi-row statements. ErrDuplicate when a
// supplier already holds one of the categories.
func (t *Tx) InsertHoldings(rows []HoldingRow) error {
	if len(rows) == 0 {
		return nil
	}
	return translate("insert holdings", t.db.CreateInBatches(&rows, insertBatch).Error)
}

// AppendAuditBatch inserts consecutive events (already chained by the caller, the
// first following the current head) in multi-row statements and moves the head
// once, to the last of them.
func (t *Tx) AppendAuditBatch(rows []AuditEventRow) error {
	if len(rows) == 0 {
		return nil
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Seq != rows[i-1].Seq+1 || rows[i].PrevHash != rows[i-1].Hash {
			return fmt.Errorf("append audit events: event %d does not follow event %d", rows[i].Seq, rows[i-1].Seq)
		}
	}
	if err := t.db.CreateInBatches(&rows, insertBatch).Error; err != nil {
		return translate("append audit events", err)
	}
	first, last := rows[0], rows[len(rows)-1]
	res := t.db.Model(&AuditHeadRow{}).Where("id = 1 AND seq = ? AND hash = ?", first.Seq-1, first.PrevHash).
		Updates(map[string]any{"seq": last.Seq, "hash": last.Hash})
	if res.Error != nil {
		return translate("move audit head", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("move audit head: head is not at %d", first.Seq-1)
	}
	return nil
}

// LiveSuppliersByName returns every live supplier, by name (case-insensitive) and id.
func (t *Tx) LiveSuppliersByName() ([]SupplierRow, error) {
	var rows []SupplierRow
	err := t.db.Where("archived_at IS NULL").Order(t.collate("name_key")).Order(t.collate("id")).Find(&rows).Error
	return rows, translate("list live suppliers", err)
}

// HoldingsOfLiveSuppliers returns every holding of a live supplier, by supplier id
// and category key.
func (t *Tx) HoldingsOfLiveSuppliers() ([]HoldingRow, error) {
	var rows []HoldingRow
	err := t.db.Table("data_holdings AS h").Select("h.*").
		Joins("JOIN suppliers s ON s.id = h.supplier_id AND s.archived_at IS NULL").
		Order(t.collate("h.supplier_id")).Order(t.collate("h.category_key")).Scan(&rows).Error
	return rows, translate("list holdings of live suppliers", err)
}

// supplierUpdateColumns and holdingUpdateColumns are the columns a change writes.
var (
	supplierUpdateColumns = []string{"name", "name_key", "criticality", "status", "country", "services", "website",
		"security_contact", "breach_notification_hours", "contract_start", "contract_end", "dpa_signed_at",
		"certifications", "notes", "archived_at", "version", "updated_at"}
	holdingUpdateColumns = []string{"data_subjects", "record_count", "purpose", "locations", "transfer_mechanism",
		"retention_period", "retention_until", "held_since", "version", "updated_at"}
)

// UpdateSuppliers writes changed suppliers in multi-row statements: an upsert on the
// id that only updates a row still at the version before the new one (each row's
// Version is already the new version). ErrStale when any row had moved on.
func (t *Tx) UpdateSuppliers(rows []SupplierRow) error {
	return t.upsertVersioned("suppliers", &rows, len(rows), supplierUpdateColumns)
}

// UpdateHoldings writes changed holdings like UpdateSuppliers.
func (t *Tx) UpdateHoldings(rows []HoldingRow) error {
	return t.upsertVersioned("data_holdings", &rows, len(rows), holdingUpdateColumns)
}

func (t *Tx) upsertVersioned(table string, rows any, n int, columns []string) error {
	if n == 0 {
		return nil
	}
	res := t.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns(columns),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: table + ".version = excluded.version - 1"}}},
	}).CreateInBatches(rows, insertBatch)
	if res.Error != nil {
		return translate("update "+table, res.Error)
	}
	if res.RowsAffected != int64(n) {
		return ErrStale
	}
	return nil
}
