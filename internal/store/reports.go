package store

import "time"

// ReportSummary is a stored report without its snapshot, for lists and trends.
type ReportSummary struct {
	ID               string
	Quarter          string
	Revision         int
	AsOf             time.Time
	RendererVersion  string
	Hashes           string
	FlaggedSuppliers int
	GeneratedBy      *string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

const reportSummaryColumns = "id, quarter, revision, as_of, renderer_version, hashes, flagged_suppliers, generated_by, version, created_at, updated_at"

// InsertReport stores a report.
func (t *Tx) InsertReport(r *ReportRow) error {
	return translate("insert report", t.db.Create(r).Error)
}

// GetReport loads one report with its snapshot.
func (t *Tx) GetReport(id string) (ReportRow, error) {
	var r ReportRow
	return r, translate("get report", t.db.Where("id = ?", id).Take(&r).Error)
}

// ReportSummaries lists every stored report without snapshots, oldest first
// (reports are few: four a year, plus regenerations).
func (t *Tx) ReportSummaries() ([]ReportSummary, error) {
	var rows []ReportSummary
	err := t.db.Model(&ReportRow{}).Select(reportSummaryColumns).Order("as_of ASC").Order(t.collate("id")).Scan(&rows).Error
	return rows, translate("list reports", err)
}

// AssessmentsSubmittedBetween returns assessments submitted in [from, to) of live suppliers.
func (t *Tx) AssessmentsSubmittedBetween(from, to time.Time) ([]AssessmentRow, error) {
	var rows []AssessmentRow
	err := t.db.Table("assessments AS a").Select("a.*").
		Joins("JOIN suppliers s ON s.id = a.supplier_id AND s.archived_at IS NULL").
		Where("a.submitted_at >= ? AND a.submitted_at < ?", normTime(from), normTime(to)).
		Order("a.submitted_at ASC").Scan(&rows).Error
	return rows, translate("assessments submitted between", err)
}

// IncidentsBetween returns incidents the organisation became aware of in [from, to).
func (t *Tx) IncidentsBetween(from, to time.Time) ([]IncidentRow, error) {
	var rows []IncidentRow
	err := t.db.Where("aware_at >= ? AND aware_at < ?", normTime(from), normTime(to)).Order("aware_at ASC").Find(&rows).Error
	return rows, translate("incidents between", err)
}
