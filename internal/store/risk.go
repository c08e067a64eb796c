package store

// The queries behind risk figures and the portfolio read model: each loads what
// scoring needs for many suppliers in one statement, never a query per supplier.

// LatestScored returns, per supplier, its latest submitted or approved assessment
// (rejected and draft ones never count) without its answers, comments and evidence
// (empty objects), for the given suppliers or, with nil ids,
// every live supplier — in one statement either way (ids are at most a page).
func (t *Tx) LatestScored(ids []string) ([]AssessmentRow, error) {
	// Not the answers, comments and evidence: figures read the score and its detail.
	q := t.db.Table("assessments AS a").Select(`a.id, a.supplier_id, a.questionnaire_id, a.status, '{}' AS answers,
		'{}' AS comments, '{}' AS evidence, a.score, a.score_detail, a.methodology, a.submitted_by, a.submitted_at,
		a.reviewed_by, a.reviewed_at, a.review_comment, a.version, a.created_at, a.updated_at`).
		Joins("JOIN suppliers s ON s.id = a.supplier_id AND s.archived_at IS NULL").
		Where("a.status IN ('submitted', 'approved')").
		Where(`NOT EXISTS (SELECT 1 FROM assessments b WHERE b.supplier_id = a.supplier_id
			AND b.status IN ('submitted', 'approved')
			AND (b.submitted_at > a.submitted_at OR (b.submitted_at = a.submitted_at AND b.id > a.id)))`)
	if ids != nil {
		q = q.Where("a.supplier_id IN ?", ids)
	}
	var rows []AssessmentRow
	return rows, translate("latest assessments", q.Scan(&rows).Error)
}

// LatestScoredOf is LatestScored for any number of suppliers, a batch at a time.
func (t *Tx) LatestScoredOf(ids []string) ([]AssessmentRow, error) {
	return inBatches(ids, t.LatestScored)
}

// RiskHolding is what risk scoring needs of a holding.
type RiskHolding struct {
	ID                string
	SupplierID        string
	CategoryKey       string
	CategoryName      string
	Sensitivity       int
	SpecialCategory   bool
	CriminalOffence   bool
	RecordCount       int64
	DataSubjects      string // JSON array of strings
	RetentionUntil    *string
	Locations         string
	TransferMechanism *string
}

// RiskHoldings returns the holdings of the given live suppliers (nil: every live
// supplier) with their categories' sensitivity, in one statement.
func (t *Tx) RiskHoldings(ids []string) ([]RiskHolding, error) {
	return inBatches(ids, func(batch []string) ([]RiskHolding, error) { return t.riskHoldings(batch, nil) })
}

// riskHoldings returns the holdings of the given live suppliers (nil: every one) of
// the given categories (nil: every category), by supplier id and category key.
func (t *Tx) riskHoldings(ids, categories []string) ([]RiskHolding, error) {
	q := t.db.Table("data_holdings AS h").
		Select(`h.id, h.supplier_id, h.category_key, c.name, c.sensitivity, c.special_category, c.criminal_offence, h.record_count,
			h.data_subjects, h.retention_until, h.locations, h.transfer_mechanism`).
		Joins("JOIN data_categories c ON c.key = h.category_key").
		Joins("JOIN suppliers s ON s.id = h.supplier_id AND s.archived_at IS NULL")
	if ids != nil {
		q = q.Where("h.supplier_id IN ?", ids)
	}
	if categories != nil {
		q = q.Where("h.category_key IN ?", categories)
	}
	// A fixed order: messages list a supplier's holdings in it.
	rows, err := q.Order(t.collate("h.supplier_id") + ", " + t.collate("h.category_key")).Rows()
	if err != nil {
		return nil, translate("risk holdings", err)
	}
	defer rows.Close()
	var out []RiskHolding
	for rows.Next() {
		var h RiskHolding
		if err := rows.Scan(&h.ID, &h.SupplierID, &h.CategoryKey, &h.CategoryName, &h.Sensitivity, &h.SpecialCategory, &h.CriminalOffence,
			&h.RecordCount, &h.DataSubjects, &h.RetentionUntil, &h.Locations, &h.TransferMechanism); err != nil {
			return nil, translate("scan risk holding", err)
		}
		out = append(out, h)
	}
	return out, translate("risk holdings", rows.Err())
}

// SuppliersMatching returns every supplier matching the query's filters, in name
// order — live ones, and archived ones too when the query asks for them — ignoring
// its sort, cursor and limit: lists ordered by computed risk, and the portfolio.
func (t *Tx) SuppliersMatching(q SupplierQuery) ([]SupplierRow, error) {
	q.Sort, q.Desc, q.After, q.Limit = "name", false, nil, 1<<30
	return t.ListSuppliers(q)
}
