package store

// InsertHolding stores a new data holding. ErrDuplicate when the supplier already
// holds that category.
func (t *Tx) InsertHolding(r *HoldingRow) error {
	return translate("insert holding", t.db.Create(r).Error)
}

// GetHolding loads one holding by id.
func (t *Tx) GetHolding(id string) (HoldingRow, error) {
	var r HoldingRow
	return r, translate("get holding", t.db.Where("id = ?", id).Take(&r).Error)
}

// UpdateHolding writes a holding's editable columns if its version is still expectedVersion.
func (t *Tx) UpdateHolding(r *HoldingRow, expectedVersion int) error {
	return t.updateVersioned("update holding", "id", r.ID, expectedVersion, holdingUpdateColumns, r)
}

// DeleteHolding removes a holding (its history stays in the audit trail).
func (t *Tx) DeleteHolding(id string) error {
	return translate("delete holding", t.db.Where("id = ?", id).Delete(&HoldingRow{}).Error)
}

// HoldingsOfSupplier lists one supplier's holdings by category key.
func (t *Tx) HoldingsOfSupplier(supplierID string) ([]HoldingRow, error) {
	var rows []HoldingRow
	err := t.db.Where("supplier_id = ?", supplierID).Order(t.collate("category_key")).Find(&rows).Error
	return rows, translate("list holdings", err)
}

// LiveHolding is what traversals need of a holding of a live (not archived)
// supplier, with the supplier's summary.
type LiveHolding struct {
	SupplierID          string
	CategoryKey         string
	DataSubjects        string // JSON array
	RecordCount         int64
	SupplierName        string
	SupplierNameKey     string
	SupplierCriticality string
	SupplierStatus      string
	SupplierCountry     *string
}

// LiveHoldings returns every holding of a live supplier in the given categories
// (all categories when none are given), in one statement. Rows are scanned by hand:
// these answers run to tens of thousands of rows and reflection-based scanning
// dominated their cost.
func (t *Tx) LiveHoldings(categories []string) ([]LiveHolding, error) {
	q := t.db.Table("data_holdings AS h").
		Select(`h.supplier_id, h.category_key, h.data_subjects, h.record_count,
			s.name, s.name_key, s.criticality, s.status, s.country`).
		Joins("JOIN suppliers s ON s.id = h.supplier_id AND s.archived_at IS NULL")
	if len(categories) > 0 {
		q = q.Where("h.category_key IN ?", categories)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, translate("list live holdings", err)
	}
	defer rows.Close()
	var out []LiveHolding
	for rows.Next() {
		var h LiveHolding
		if err := rows.Scan(&h.SupplierID, &h.CategoryKey, &h.DataSubjects, &h.RecordCount, &h.SupplierName,
			&h.SupplierNameKey, &h.SupplierCriticality, &h.SupplierStatus, &h.SupplierCountry); err != nil {
			return nil, translate("scan live holding", err)
		}
		out = append(out, h)
	}
	return out, translate("list live holdings", rows.Err())
}

// UpstreamHolding is what one supplier's data in care needs of a holding elsewhere.
type UpstreamHolding struct {
	ID           string
	SupplierID   string
	CategoryKey  string
	RecordCount  int64
	DataSubjects string // JSON array of strings
}

// holdingsReachingSQL follows the live links backwards from a supplier, category by
// category, to every live supplier whose data of that category can reach it (UNION,
// not UNION ALL, so a loop ends), and returns those suppliers' holdings of those
// categories. Both planners run it from the indexes on subprocessor_links
// (subprocessor_id), subprocessor_link_categories (link_id, category_key) and
// data_holdings (supplier_id, category_key).
const holdingsReachingSQL = `
WITH RECURSIVE upstream (supplier_id, category_key) AS (
	SELECT l.supplier_id, c.category_key
	FROM subprocessor_links l
	JOIN subprocessor_link_categories c ON c.link_id = l.id
	JOIN suppliers f ON f.id = l.supplier_id AND f.archived_at IS NULL
	JOIN suppliers t ON t.id = l.subprocessor_id AND t.archived_at IS NULL
	WHERE l.subprocessor_id = ?
	UNION
	SELECT l.supplier_id, c.category_key
	FROM upstream u
	JOIN subprocessor_links l ON l.subprocessor_id = u.supplier_id
	JOIN subprocessor_link_categories c ON c.link_id = l.id AND c.category_key = u.category_key
	JOIN suppliers f ON f.id = l.supplier_id AND f.archived_at IS NULL
)
SELECT h.id, h.supplier_id, h.category_key, h.record_count, h.data_subjects
FROM data_holdings h
JOIN upstream u ON u.supplier_id = h.supplier_id AND u.category_key = h.category_key
WHERE h.supplier_id <> ?`

// HoldingsReaching returns, in one statement, every holding of another live supplier
// whose category reaches the given supplier along live links that name it, however
// many links away: the only holdings that can be in its care besides its own.
// Rows are scanned by hand, like LiveHoldings.
func (t *Tx) HoldingsReaching(supplierID string) ([]UpstreamHolding, error) {
	rows, err := t.db.Raw(holdingsReachingSQL, supplierID, supplierID).Rows()
	if err != nil {
		return nil, translate("holdings reaching a supplier", err)
	}
	defer rows.Close()
	var out []UpstreamHolding
	for rows.Next() {
		var h UpstreamHolding
		if err := rows.Scan(&h.ID, &h.SupplierID, &h.CategoryKey, &h.RecordCount, &h.DataSubjects); err != nil {
			return nil, translate("scan holding reaching a supplier", err)
		}
		out = append(out, h)
	}
	return out, translate("holdings reaching a supplier", rows.Err())
}
