package store

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SupplierQuery filters and pages the supplier list. Sort names a key of
// supplierSortColumns; callers validate client input against their own allowlist.
type SupplierQuery struct {
	Q               string // case-insensitive substring of the name
	Statuses        []string
	Criticalities   []string
	Countries       []string
	IncludeArchived bool
	Categories      []string   // holds any of these categories
	SpecialCategory *bool      // holds (or not) special-category or criminal-offence data
	HoldsData       *bool      // holds (or not) any personal data
	Tiers           []string   // its stored residual-risk tier is one of these
	AnyFlags        []string   // a stored flag of one of these codes, accepted or not
	UpdatedSince    *time.Time // changed at or after this moment (updated_at)
	Sort            string
	Desc            bool
	After           *Keyset
	Limit           int
}

// Keyset is the position after which the next page starts: the sort column's value
// on the last row seen and that row's id (the tie-breaker).
type Keyset struct {
	Value any
	ID    string
}

// supplierSortColumns maps sort keys to columns; nothing else reaches ORDER BY.
var supplierSortColumns = map[string]string{
	"name":       "name_key",
	"created_at": "created_at",
	"updated_at": "updated_at",
}

// InsertSupplier stores a new supplier.
func (t *Tx) InsertSupplier(r *SupplierRow) error {
	return translate("insert supplier", t.db.Create(r).Error)
}

// GetSupplier loads one supplier, archived or not. ErrNotFound when absent.
func (t *Tx) GetSupplier(id string) (SupplierRow, error) {
	var r SupplierRow
	err := t.db.Where("id = ?", id).Take(&r).Error
	return r, translate("get supplier", err)
}

// UpdateSupplier writes every editable column of r if the stored version is still
// expectedVersion; ErrStale otherwise. r.Version must already be the new version.
func (t *Tx) UpdateSupplier(r *SupplierRow, expectedVersion int) error {
	return t.updateVersioned("update supplier", "id", r.ID, expectedVersion, supplierUpdateColumns, r)
}

// ListSuppliers returns up to q.Limit+1 rows so the caller can tell whether a next page exists.
func (t *Tx) ListSuppliers(q SupplierQuery) ([]SupplierRow, error) {
	db, err := t.supplierPage(q)
	if err != nil {
		return nil, err
	}
	var rows []SupplierRow
	if err := db.Find(&rows).Error; err != nil {
		return nil, translate("list suppliers", err)
	}
	return rows, nil
}

// supplierPage is the statement of a page of suppliers: filters, cursor, order and
// limit (q.Limit+1 rows).
func (t *Tx) supplierPage(q SupplierQuery) (*gorm.DB, error) {
	col, ok := supplierSortColumns[q.Sort]
	if !ok {
		return nil, fmt.Errorf("list suppliers: unsupported sort %q", q.Sort)
	}
	col = "suppliers." + col // qualified: the page may join tables that have an id
	if q.Sort == "name" {
		col = t.collate(col)
	}
	id := t.collate("suppliers.id")
	db := t.supplierFilters(t.db.Model(&SupplierRow{}), q)
	cmp, dir := ">", "ASC"
	if q.Desc {
		cmp, dir = "<", "DESC"
	}
	if q.After != nil {
		db = db.Where(fmt.Sprintf("(%s %s ? OR (%s = ? AND %s %s ?))", col, cmp, col, id, cmp),
			q.After.Value, q.After.Value, q.After.ID)
	}
	return db.Order(fmt.Sprintf("%s %s, %s %s", col, dir, id, dir)).Limit(q.Limit + 1), nil
}

// supplierFilters adds the query's filters (not its order, cursor or limit) to a
// statement over the suppliers table.
func (t *Tx) supplierFilters(db *gorm.DB, q SupplierQuery) *gorm.DB {
	if !q.IncludeArchived {
		db = db.Where("suppliers.archived_at IS NULL")
	}
	if q.Q != "" {
		db = db.Where(`suppliers.name_key LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(q.Q))+"%")
	}
	if len(q.Statuses) > 0 {
		db = db.Where("suppliers.status IN ?", q.Statuses)
	}
	if len(q.Criticalities) > 0 {
		db = db.Where("suppliers.criticality IN ?", q.Criticalities)
	}
	if len(q.Countries) > 0 {
		db = db.Where("suppliers.country IN ?", q.Countries)
	}
	if len(q.Categories) > 0 {
		db = db.Where("EXISTS (SELECT 1 FROM data_holdings h WHERE h.supplier_id = suppliers.id AND h.category_key IN ?)", q.Categories)
	}
	const special = `EXISTS (SELECT 1 FROM data_holdings h JOIN data_categories c ON c.key = h.category_key
		WHERE h.supplier_id = suppliers.id AND (c.special_category OR c.criminal_offence))`
	if q.SpecialCategory != nil {
		db = db.Where(notIf(!*q.SpecialCategory) + special)
	}
	if q.HoldsData != nil {
		db = db.Where(notIf(!*q.HoldsData) + "EXISTS (SELECT 1 FROM data_holdings h WHERE h.supplier_id = suppliers.id)")
	}
	if len(q.Tiers) > 0 {
		db = db.Where("EXISTS (SELECT 1 FROM supplier_risk t WHERE t.supplier_id = suppliers.id AND t.tier IN ?)", q.Tiers)
	}
	if len(q.AnyFlags) > 0 {
		db = db.Where("EXISTS (SELECT 1 FROM supplier_risk_flags f WHERE f.supplier_id = suppliers.id AND f.code IN ?)", q.AnyFlags)
	}
	if q.UpdatedSince != nil {
		db = db.Where("suppliers.updated_at >= ?", normTime(*q.UpdatedSince))
	}
	return db
}

// SupplierSortValue returns the value of the sort column on a row, for the next cursor.
func SupplierSortValue(r SupplierRow, sort string) any {
	switch sort {
	case "name":
		return r.NameKey
	case "created_at":
		return r.CreatedAt
	default:
		return r.UpdatedAt
	}
}

func notIf(b bool) string {
	if b {
		return "NOT "
	}
	return ""
}

// escapeLike makes % and _ in client text match literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UTC truncated to microseconds: the precision both databases keep.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// SupplierNames maps supplier ids to names, in batches under the bind-parameter
// limit of both databases.
func (t *Tx) SupplierNames(ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += bindBatch {
		end := min(start+bindBatch, len(ids))
		var rows []struct{ ID, Name string }
		if err := t.db.Model(&SupplierRow{}).Select("id", "name").Where("id IN ?", ids[start:end]).Scan(&rows).Error; err != nil {
			return nil, translate("supplier names", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Name
		}
	}
	return out, nil
}

// bindBatch keeps IN lists and multi-row inserts well under SQLite's limit of
// 32,766 bound parameters per statement.
const bindBatch = 1000
