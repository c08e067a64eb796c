package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// The stored risk projection (migration 11): each supplier's figures as the register
// last computed them. The register decides what goes in; the store only keeps rows
// and answers indexed questions about them.

// RiskRow is one supplier's stored figures. The pos_* and rank_key columns are the
// supplier's places in the risk-ordered lists, as text that sorts ascending in list
// order (each unique: they end with the name key and id).
type RiskRow struct {
	SupplierID      string `gorm:"primaryKey"`
	Live            bool
	Residual        float64
	Inherent        float64
	Posture         *float64
	OutlierPosture  *float64 // the posture when the supplier is live, active and assessed
	Tier            string
	OpenFlags       int
	RankKey         string
	PosResidual     string
	PosResidualDesc string
	PosInherent     string
	PosInherentDesc string
	PosPosture      string
	PosPostureDesc  string
	ValidUntil      *time.Time
	Summary         string // JSON: what lists show
	Figures         string // JSON: the whole risk answer
	RelativeInputs  string // JSON: what the portfolio-relative flags read
	ReportInputs    string // JSON: what the quarterly report reads beside the figures
	FingerprintUp   string
	FingerprintDown string
	ComputedAt      time.Time
}

// TableName maps RiskRow to its table.
func (RiskRow) TableName() string { return "supplier_risk" }

// RiskFlagRow is one flag raised on a supplier, and whether an acceptance covers it.
type RiskFlagRow struct {
	SupplierID string `gorm:"primaryKey"`
	Code       string `gorm:"primaryKey"`
	Severity   string
	Accepted   bool
}

// TableName maps RiskFlagRow to its table.
func (RiskFlagRow) TableName() string { return "supplier_risk_flags" }

// RiskCareRow is the records of one category in a supplier's data in care.
type RiskCareRow struct {
	SupplierID  string `gorm:"primaryKey"`
	CategoryKey string `gorm:"primaryKey"`
	Records     int64
}

// TableName maps RiskCareRow to its table.
func (RiskCareRow) TableName() string { return "supplier_risk_care" }

// RiskStateRow says whether the projection is built, under which methodology, and
// the portfolio statistics (JSON) its relative flags were computed with.
type RiskStateRow struct {
	ID          int `gorm:"primaryKey"`
	Built       bool
	BuiltAt     *time.Time
	HistoryFrom *time.Time // the first moment the risk history records
	Methodology string
	Statistics  string
}

// TableName maps RiskStateRow to its table.
func (RiskStateRow) TableName() string { return "risk_projection" }

// RiskState reads the projection's state.
func (t *Tx) RiskState() (RiskStateRow, error) {
	var r RiskStateRow
	err := t.db.Where("id = 1").Take(&r).Error
	return r, translate("risk projection state", err)
}

// SaveRiskState writes the projection's state.
func (t *Tx) SaveRiskState(r RiskStateRow) error {
	r.ID = 1
	if r.BuiltAt != nil {
		b := normTime(*r.BuiltAt)
		r.BuiltAt = &b
	}
	if r.HistoryFrom != nil {
		h := normTime(*r.HistoryFrom)
		r.HistoryFrom = &h
	}
	return translate("save risk projection state", t.db.Save(&r).Error)
}

// SaveRisk replaces the stored figures, flags and care rows of the suppliers in rows.
func (t *Tx) SaveRisk(rows []RiskRow, flags []RiskFlagRow, care []RiskCareRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].SupplierID
		rows[i].ComputedAt = normTime(rows[i].ComputedAt)
		if v := rows[i].ValidUntil; v != nil {
			n := normTime(*v)
			rows[i].ValidUntil = &n
		}
	}
	for start := 0; start < len(ids); start += bindBatch {
		batch := ids[start:min(start+bindBatch, len(ids))]
		for _, table := range []string{"supplier_risk_flags", "supplier_risk_care"} {
			if err := t.db.Exec("DELETE FROM "+table+" WHERE supplier_id IN ?", batch).Error; err != nil {
				return translate("clear "+table, err)
			}
		}
	}
	cols := []string{"live", "residual", "inherent", "posture", "outlier_posture", "tier", "open_flags", "rank_key",
		"pos_residual", "pos_residual_desc", "pos_inherent", "pos_inherent_desc", "pos_posture", "pos_posture_desc",
		"valid_until", "summary", "figures", "relative_inputs", "report_inputs", "fingerprint_up", "fingerprint_down", "computed_at"}
	if err := t.db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "supplier_id"}},
		DoUpdates: clause.AssignmentColumns(cols)}).CreateInBatches(&rows, batchOf(23)).Error; err != nil {
		return translate("save risk", err)
	}
	if len(flags) > 0 {
		if err := t.db.CreateInBatches(&flags, batchOf(4)).Error; err != nil {
			return translate("save risk flags", err)
		}
	}
	if len(care) > 0 {
		if err := t.db.CreateInBatches(&care, batchOf(3)).Error; err != nil {
			return translate("save risk care", err)
		}
	}
	return nil
}

// batchOf is how many rows of so many columns fit one multi-row statement under
// SQLite's limit of 32,766 bound parameters (PostgreSQL allows 65,535).
func batchOf(columns int) int { return 30_000 / columns }

// ClearRisk deletes every stored figure (before a rebuild).
func (t *Tx) ClearRisk() error {
	for _, table := range []string{"supplier_risk_flags", "supplier_risk_care", "supplier_risk"} {
		if err := t.db.Exec("DELETE FROM " + table).Error; err != nil {
			return translate("clear "+table, err)
		}
	}
	return nil
}

// RiskRowsOf returns the stored rows of the given suppliers (nil: every supplier).
func (t *Tx) RiskRowsOf(ids []string) ([]RiskRow, error) {
	if ids == nil {
		var rows []RiskRow
		return rows, translate("stored risk", t.db.Order("supplier_id").Find(&rows).Error)
	}
	var out []RiskRow
	for start := 0; start < len(ids); start += bindBatch {
		var rows []RiskRow
		if err := t.db.Where("supplier_id IN ?", ids[start:min(start+bindBatch, len(ids))]).Find(&rows).Error; err != nil {
			return nil, translate("stored risk", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// RiskExpired lists the suppliers whose stored figures stopped being valid at or
// before now (an indexed range read), at most limit of them, earliest first.
func (t *Tx) RiskExpired(now time.Time, limit int) ([]string, error) {
	var ids []string
	err := t.db.Model(&RiskRow{}).Where("valid_until IS NOT NULL AND valid_until <= ?", normTime(now)).
		Order("valid_until").Limit(limit).Pluck("supplier_id", &ids).Error
	return ids, translate("expired risk", err)
}

// NextRiskExpiry is the earliest valid_until stored, nil when none.
func (t *Tx) NextRiskExpiry() (*time.Time, error) {
	var rows []RiskRow
	err := t.db.Select("valid_until").Where("valid_until IS NOT NULL").Order("valid_until").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate("next risk expiry", err)
	}
	return rows[0].ValidUntil, nil
}

// OutlierPostures returns the stored postures of the outlier population
// (outlier_posture not null) other than those of the given suppliers.
func (t *Tx) OutlierPostures(except map[string]bool) ([]float64, error) {
	var rows []struct {
		SupplierID     string
		OutlierPosture float64
	}
	if err := t.db.Model(&RiskRow{}).Select("supplier_id, outlier_posture").Where("outlier_posture IS NOT NULL").
		Scan(&rows).Error; err != nil {
		return nil, translate("outlier postures", err)
	}
	out := make([]float64, 0, len(rows))
	for _, r := range rows {
		if !except[r.SupplierID] {
			out = append(out, r.OutlierPosture)
		}
	}
	return out, nil
}

// OutlierPosturesAtMost lists the suppliers whose stored outlier posture is at most
// bound (an indexed range read): those a change of the statistics can flag or unflag.
func (t *Tx) OutlierPosturesAtMost(bound float64) ([]string, error) {
	var ids []string
	err := t.db.Model(&RiskRow{}).Where("outlier_posture IS NOT NULL AND outlier_posture <= ?", bound).Pluck("supplier_id", &ids).Error
	return ids, translate("outlier candidates", err)
}

// CareAbove lists the suppliers with more than records of the category in their care
// (an indexed range read).
func (t *Tx) CareAbove(category string, records int64) ([]string, error) {
	var ids []string
	err := t.db.Model(&RiskCareRow{}).Where("category_key = ? AND records > ?", category, records).Pluck("supplier_id", &ids).Error
	return ids, translate("care candidates", err)
}

// Direction selects which way SupplyChain follows links.
type Direction int

// The directions along sub-processor links.
const (
	Upstream   Direction = iota // to the suppliers that pass data to these
	Downstream                  // to the sub-processors these pass data to
)

// SupplyChain returns the given suppliers and every supplier reachable from them
// along sub-processor links in the direction given, at any depth and through cycles,
// archived or not (a recursive query per batch of a thousand starting suppliers).
func (t *Tx) SupplyChain(ids []string, dir Direction) ([]string, error) {
	from, to := "supplier_id", "subprocessor_id"
	if dir == Upstream {
		from, to = to, from
	}
	q := fmt.Sprintf(`WITH RECURSIVE chain(id) AS (
    SELECT id FROM suppliers WHERE id IN ?
    UNION
    SELECT l.%s FROM subprocessor_links l JOIN chain c ON l.%s = c.id
) SELECT id FROM chain`, to, from)
	seen := map[string]bool{}
	var out []string
	for start := 0; start < len(ids); start += bindBatch {
		var got []string
		if err := t.db.Raw(q, ids[start:min(start+bindBatch, len(ids))]).Scan(&got).Error; err != nil {
			return nil, translate("supply chain", err)
		}
		for _, id := range got {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// SuppliersIn returns the given suppliers, archived or not, in no particular order.
func (t *Tx) SuppliersIn(ids []string) ([]SupplierRow, error) {
	var out []SupplierRow
	for start := 0; start < len(ids); start += bindBatch {
		var rows []SupplierRow
		if err := t.db.Where("id IN ?", ids[start:min(start+bindBatch, len(ids))]).Find(&rows).Error; err != nil {
			return nil, translate("suppliers", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// inBatches runs load for each batch of ids under the bind-parameter limit and
// gathers the results; nil ids run it once with nil (every supplier).
func inBatches[T any](ids []string, load func([]string) ([]T, error)) ([]T, error) {
	if ids == nil {
		return load(nil)
	}
	var out []T
	for start := 0; start < len(ids); start += bindBatch {
		rows, err := load(ids[start:min(start+bindBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// LiveEdgesWithin returns the live edges whose both ends are among ids.
func (t *Tx) LiveEdgesWithin(ids []string) ([]Edge, error) {
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	all, err := inBatches(ids, func(batch []string) ([]Edge, error) { return t.liveEdges(nil, batch) })
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if in[e.To] {
			out = append(out, e)
		}
	}
	return out, nil
}

// ActiveAcceptancesOf returns the acceptances in force at now of the given suppliers.
func (t *Tx) ActiveAcceptancesOf(ids []string, now time.Time) ([]AcceptanceRow, error) {
	return inBatches(ids, func(batch []string) ([]AcceptanceRow, error) {
		q := t.db.Where("revoked_at IS NULL AND expires_at > ?", normTime(now))
		if batch != nil {
			q = q.Where("supplier_id IN ?", batch)
		}
		var rows []AcceptanceRow
		return rows, translate("active risk acceptances", q.Find(&rows).Error)
	})
}

// OpenIncidentsOf returns the incidents that are not closed at the given suppliers,
// oldest awareness first.
func (t *Tx) OpenIncidentsOf(ids []string) ([]IncidentRow, error) {
	rows, err := inBatches(ids, func(batch []string) ([]IncidentRow, error) {
		q := t.db.Where("status <> ?", "closed")
		if batch != nil {
			q = q.Where("supplier_id IN ?", batch)
		}
		var rows []IncidentRow
		return rows, translate("open incidents", q.Order("aware_at, "+t.collate("id")).Find(&rows).Error)
	})
	if err != nil || ids == nil || len(ids) <= bindBatch {
		return rows, err
	}
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].AwareAt.Equal(rows[j].AwareAt) {
			return rows[i].AwareAt.Before(rows[j].AwareAt)
		}
		return rows[i].ID < rows[j].ID
	})
	return rows, nil
}

// HoldingsOfCategories returns the live suppliers' holdings of the given categories.
func (t *Tx) HoldingsOfCategories(categories []string) ([]RiskHolding, error) {
	return inBatches(categories, func(batch []string) ([]RiskHolding, error) {
		return t.riskHoldings(nil, batch)
	})
}

// RiskListQuery selects a page of suppliers in a risk order, from the projection.
type RiskListQuery struct {
	Suppliers SupplierQuery // its filters (tiers and flags included); Sort, Desc, After and Limit are ignored
	OrderKey  string        // one of the ordering key columns (migrations.RiskOrderKeys)
	After     string        // the last key of the previous page
	Limit     int
	// Weak-links selection: at least one unaccepted flag, and, when set, one whose
	// code and severity are among these; a category among these in the data in care.
	OpenOnly       bool
	OpenCodes      []string
	OpenSeverities []string
	InCare         []string
	// RefOnly reads of each supplier only what names it (id, name, criticality,
	// status, country): the rest of its SupplierRow is left zero.
	RefOnly bool
}

// supplierRefColumns are the supplier columns a RefOnly page reads.
const supplierRefColumns = "suppliers.id AS s_id, suppliers.name AS s_name, suppliers.criticality AS s_criticality, " +
	"suppliers.status AS s_status, suppliers.country AS s_country"

// riskOrderColumns is the allowlist of ordering keys; nothing else reaches ORDER BY.
var riskOrderColumns = map[string]bool{"rank_key": true, "pos_residual": true, "pos_residual_desc": true,
	"pos_inherent": true, "pos_inherent_desc": true, "pos_posture": true, "pos_posture_desc": true}

// RiskPage returns up to Limit+1 suppliers with their stored list summaries, in the
// order of the key, after the cursor key (a walk along the key's index), and the
// projection's state at now, in one statement.
func (t *Tx) RiskPage(q RiskListQuery, now time.Time) ([]RiskPageRow, error) {
	if !riskOrderColumns[q.OrderKey] {
		return nil, fmt.Errorf("risk page: unsupported order %q", q.OrderKey)
	}
	col := "r." + q.OrderKey
	db := t.supplierFilters(t.db.Table("supplier_risk AS r").Joins("JOIN suppliers ON suppliers.id = r.supplier_id"), q.Suppliers)
	if q.OpenOnly {
		db = db.Where("r.open_flags > 0")
		if len(q.OpenCodes) > 0 || len(q.OpenSeverities) > 0 {
			cond := []string{"f.supplier_id = r.supplier_id", "NOT f.accepted"}
			var args []any
			if len(q.OpenCodes) > 0 {
				cond, args = append(cond, "f.code IN ?"), append(args, q.OpenCodes)
			}
			if len(q.OpenSeverities) > 0 {
				cond, args = append(cond, "f.severity IN ?"), append(args, q.OpenSeverities)
			}
			db = db.Where("EXISTS (SELECT 1 FROM supplier_risk_flags f WHERE "+strings.Join(cond, " AND ")+")", args...)
		}
	}
	if len(q.InCare) > 0 {
		db = db.Where("EXISTS (SELECT 1 FROM supplier_risk_care c WHERE c.supplier_id = r.supplier_id AND c.category_key IN ?)", q.InCare)
	}
	if q.After != "" {
		db = db.Where(t.collate(col)+" > ?", q.After)
	}
	sups := columnsOf(&SupplierRow{}, "suppliers", "s_")
	if q.RefOnly {
		sups = supplierRefColumns
	}
	var rows []RiskPageRow
	err := db.Select(sups+", "+riskColumns(q.OrderKey)+", "+pageState, normTime(now)).
		Joins("JOIN risk_projection p ON p.id = 1").Order(t.collate(col)).Limit(q.Limit + 1).Scan(&rows).Error
	return rows, translate("risk page", err)
}

// RiskFlagsOf returns the stored flag rows of the given suppliers (nil: all).
func (t *Tx) RiskFlagsOf(ids []string) ([]RiskFlagRow, error) {
	return inBatches(ids, func(batch []string) ([]RiskFlagRow, error) {
		q := t.db.Model(&RiskFlagRow{})
		if batch != nil {
			q = q.Where("supplier_id IN ?", batch)
		}
		var rows []RiskFlagRow
		return rows, translate("stored flags", q.Find(&rows).Error)
	})
}

// RiskCareOf returns the stored care rows of the given suppliers (nil: all).
func (t *Tx) RiskCareOf(ids []string) ([]RiskCareRow, error) {
	return inBatches(ids, func(batch []string) ([]RiskCareRow, error) {
		q := t.db.Model(&RiskCareRow{})
		if batch != nil {
			q = q.Where("supplier_id IN ?", batch)
		}
		var rows []RiskCareRow
		return rows, translate("stored care", q.Find(&rows).Error)
	})
}

// RiskHistoryRow is one change of a supplier's figures: what they became, and the
// report's inputs beside them, from EffectiveAt until the supplier's next row.
type RiskHistoryRow struct {
	SupplierID   string    `gorm:"primaryKey"`
	EffectiveAt  time.Time `gorm:"primaryKey"`
	RecordedAt   time.Time
	Live         bool
	Residual     float64
	Inherent     float64
	Posture      *float64
	Tier         string
	Figures      string
	ReportInputs string
}

// TableName maps RiskHistoryRow to its table.
func (RiskHistoryRow) TableName() string { return "supplier_risk_history" }

// AppendRiskHistory records changes; a second change of one supplier at the same
// moment replaces the first (the state at that moment is the last).
func (t *Tx) AppendRiskHistory(rows []RiskHistoryRow) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		rows[i].EffectiveAt, rows[i].RecordedAt = normTime(rows[i].EffectiveAt), normTime(rows[i].RecordedAt)
	}
	return translate("append risk history", t.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "supplier_id"}, {Name: "effective_at"}},
		DoUpdates: clause.AssignmentColumns([]string{"recorded_at", "live", "residual", "inherent", "posture", "tier", "figures", "report_inputs"}),
	}).CreateInBatches(&rows, batchOf(10)).Error)
}

// RiskHistoryAt returns, for every supplier with a row before at, its latest row
// before at: the register's figures as they stood at that moment.
func (t *Tx) RiskHistoryAt(at time.Time) ([]RiskHistoryRow, error) {
	at = normTime(at)
	var rows []RiskHistoryRow
	err := t.db.Table("supplier_risk_history AS h").Select("h.*").
		Where("h.effective_at < ?", at).
		Where(`NOT EXISTS (SELECT 1 FROM supplier_risk_history n WHERE n.supplier_id = h.supplier_id
			AND n.effective_at > h.effective_at AND n.effective_at < ?)`, at).
		Find(&rows).Error
	return rows, translate("risk history at", err)
}

// RiskHistoryOf returns a supplier's history rows, newest first, before the cursor
// moment when one is given, at most limit+1 of them.
func (t *Tx) RiskHistoryOf(supplierID string, before *time.Time, limit int) ([]RiskHistoryRow, error) {
	q := t.db.Where("supplier_id = ?", supplierID)
	if before != nil {
		q = q.Where("effective_at < ?", normTime(*before))
	}
	var rows []RiskHistoryRow
	return rows, translate("risk history", q.Order("effective_at DESC").Limit(limit+1).Find(&rows).Error)
}

// StoredPosture is a supplier's stored posture and until when it is valid.
type StoredPosture struct {
	SupplierID string
	Posture    *float64
	ValidUntil *time.Time
}

// StoredPostures returns the stored posture of each of the given suppliers that has
// stored figures (two columns, not the figures).
func (t *Tx) StoredPostures(ids []string) ([]StoredPosture, error) {
	return inBatches(ids, func(batch []string) ([]StoredPosture, error) {
		var rows []StoredPosture
		err := t.db.Model(&RiskRow{}).Select("supplier_id, posture, valid_until").Where("supplier_id IN ?", batch).Scan(&rows).Error
		return rows, translate("stored postures", err)
	})
}
