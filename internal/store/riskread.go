package store

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"
)

// One-statement reads of the stored risk projection: a single statement is a
// consistent snapshot of its own, so these answer without a transaction (no BEGIN
// and COMMIT round trips) and carry the projection's state beside the rows, for the
// caller to fall back to a slower path when the rows cannot be trusted as stored.

// SupplierRiskRow is a supplier, its stored figures and the projection's state. Of
// Risk, only SupplierID, Figures and ValidUntil are read.
type SupplierRiskRow struct {
	Supplier    SupplierRow `gorm:"embedded;embeddedPrefix:s_"`
	Risk        RiskRow     `gorm:"embedded;embeddedPrefix:r_"`
	Built       bool
	Methodology string
}

// SupplierWithRisk reads a supplier, its stored figures and the projection's state in
// one statement; ErrNotFound when the supplier or its stored row is missing. Of the
// stored row it reads supplier_id, figures and valid_until only.
func (t *Tx) SupplierWithRisk(id string) (SupplierRiskRow, error) {
	q := "SELECT " + columnsOf(&SupplierRow{}, "s", "s_") + `, r.supplier_id AS r_supplier_id, r.figures AS r_figures,
r.valid_until AS r_valid_until, p.built AS built, p.methodology AS methodology
FROM suppliers s JOIN supplier_risk r ON r.supplier_id = s.id JOIN risk_projection p ON p.id = 1
WHERE s.id = ?`
	var rows []SupplierRiskRow
	if err := t.db.Raw(q, id).Scan(&rows).Error; err != nil {
		return SupplierRiskRow{}, translate("supplier risk", err)
	}
	if len(rows) == 0 {
		return SupplierRiskRow{}, ErrNotFound
	}
	return rows[0], nil
}

var columnLists sync.Map // "prefix|alias|type" -> string

// columnsOf lists a row type's columns as "alias.col AS prefixcol", for scanning a
// join into embedded structs with that prefix.
func columnsOf(model any, alias, prefix string) string {
	key := fmt.Sprintf("%s|%s|%T", prefix, alias, model)
	if s, ok := columnLists.Load(key); ok {
		return s.(string)
	}
	sch, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("store: columns of %T: %v", model, err)) // a row type that gorm cannot parse is a programming error
	}
	cols := make([]string, len(sch.DBNames))
	for i, n := range sch.DBNames {
		cols[i] = alias + "." + n + " AS " + prefix + n
	}
	s := strings.Join(cols, ", ")
	columnLists.Store(key, s)
	return s
}

// RiskPageRow is one row of a page of suppliers with their stored list summary, and
// the projection's state as the same statement saw it.
type RiskPageRow struct {
	Supplier SupplierRow `gorm:"embedded;embeddedPrefix:s_"`
	// Risk holds only supplier_id ("" when the supplier has no stored row), summary,
	// valid_until and the page's ordering key.
	Risk        RiskRow `gorm:"embedded;embeddedPrefix:r_"`
	Built       bool
	Methodology string
	// Expired: some stored row, on this page or not, was past its valid_until at now.
	Expired bool
}

// pageState is the select list of a page's projection state; its one argument is now.
const pageState = `p.built AS built, p.methodology AS methodology,
EXISTS (SELECT 1 FROM supplier_risk e WHERE e.valid_until IS NOT NULL AND e.valid_until <= ?) AS expired`

// riskColumns selects the stored row's columns a page reads, and the ordering key.
func riskColumns(orderKey string) string {
	cols := "COALESCE(r.supplier_id, '') AS r_supplier_id, COALESCE(r.summary, '') AS r_summary, r.valid_until AS r_valid_until"
	if orderKey != "" {
		cols += ", r." + orderKey + " AS r_" + orderKey
	}
	return cols
}

// SupplierPageWithRisk is ListSuppliers with each supplier's stored list summary and
// the projection's state, in one statement.
func (t *Tx) SupplierPageWithRisk(q SupplierQuery, now time.Time) ([]RiskPageRow, error) {
	db, err := t.supplierPage(q)
	if err != nil {
		return nil, err
	}
	var rows []RiskPageRow
	err = db.Select(columnsOf(&SupplierRow{}, "suppliers", "s_")+", "+riskColumns("")+", "+pageState, normTime(now)).
		Joins("LEFT JOIN supplier_risk r ON r.supplier_id = suppliers.id").
		Joins("JOIN risk_projection p ON p.id = 1").Scan(&rows).Error
	return rows, translate("list suppliers", err)
}
