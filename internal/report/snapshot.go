// Package report owns the quarterly risk report: the snapshot a report freezes (plain
// data, assembled by the register from one consistent read) and its renderers (JSON,
// HTML with inline SVG charts, PDF, XLSX and CSV). Renderers are pure functions of a
// snapshot: the same stored report renders byte-for-byte the same file every time.
package report

import "time"

// RendererVersion names the renderers; a stored report records it with the SHA-256
// of each rendering, so a changed rendering is explained by a changed renderer.
const RendererVersion = "2026.5"

// Formats are the renderings of a report.
var Formats = []string{"json", "html", "pdf", "xlsx", "csv"}

// Snapshot is everything a quarterly report shows, frozen when it was generated.
type Snapshot struct {
	ID            string    `json:"id"`
	Quarter       string    `json:"quarter"`  // 2026-Q4 (UTC)
	Revision      int       `json:"revision"` // 1, or more when regenerated
	QuarterStart  string    `json:"quarter_start"`
	QuarterEnd    string    `json:"quarter_end"` // last day of the quarter
	AsOf          time.Time `json:"as_of"`       // when the snapshot was taken
	GeneratedBy   string    `json:"generated_by"`
	Methodology   string    `json:"methodology"`
	AuditHeadSeq  int64     `json:"audit_head_seq"`
	AuditHeadHash string    `json:"audit_head_hash"`
	// DaysAfterQuarterEnd is how many days after the quarter's last day the snapshot
	// was taken (0: during the quarter); every format says so when it is not 0.
	DaysAfterQuarterEnd int `json:"days_after_quarter_end"`
	// Mislabelled: taken more than 31 days after the quarter ended, so its figures
	// are not the quarter's (only reports stored before generation was limited to the
	// current and the just-ended quarter); every format warns, and no later report
	// compares with it.
	Mislabelled bool `json:"mislabelled"`

	Summary     Summary            `json:"summary"`
	Suppliers   []SupplierLine     `json:"suppliers"`  // every live supplier, worst residual first
	WeakLinks   []SupplierLine     `json:"weak_links"` // the top weakest links (unaccepted flags), ranked
	Exposure    ExposureMatrix     `json:"exposure"`
	Assessments AssessmentsSection `json:"assessments"`
	Incidents   []IncidentLine     `json:"incidents"` // incidents the organisation became aware of in the quarter
	Expiring    ExpiringSection    `json:"expiring"`  // contracts and certifications expiring next quarter
	Accepted    []AcceptedRisk     `json:"accepted_risks"`
	Changes     *Changes           `json:"changes"` // nil when no usable report of the quarter before is stored
	// NoComparison says, when Changes is nil, why there is nothing to compare with.
	NoComparison string       `json:"no_comparison"`
	Trend        []TrendPoint `json:"trend"` // flagged suppliers in up to three earlier stored quarters, by as-of time, then this one
}

// Count is one bucket of a distribution.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// People is how many people some data is about, as a range (PRODUCT.md §2): at
// least the largest single record count among the holdings concerned, at most the
// sum over each distinct set of data subjects of the largest count naming it.
type People struct {
	AtLeast int64 `json:"at_least"`
	AtMost  int64 `json:"at_most"`
}

// CategoryTotal is personal data held in one category across the portfolio.
type CategoryTotal struct {
	Key             string `json:"key"`
	Name            string `json:"name"`
	SpecialCategory bool   `json:"special_category"`
	Suppliers       int    `json:"suppliers"`
	Records         int64  `json:"records"`
	People          People `json:"people"` // of the direct holdings of the category
}

// Summary is the portfolio at a glance.
type Summary struct {
	Suppliers                int             `json:"suppliers"`
	ByStatus                 []Count         `json:"by_status"`         // onboarding, active, offboarding, exited
	ByTier                   []Count         `json:"by_tier"`           // critical, high, medium, low
	ByCriticality            []Count         `json:"by_criticality"`    // critical, high, medium, low
	PostureHistogram         []Count         `json:"posture_histogram"` // 0-9, 10-19, … 90-100, unassessed
	Records                  int64           `json:"records"`           // held directly, added up across categories
	People                   People          `json:"people"`            // the people those records are about
	ByCategory               []CategoryTotal `json:"by_category"`       // special categories first
	SpecialCategorySuppliers int             `json:"special_category_suppliers"`
	SpecialCategoryRecords   int64           `json:"special_category_records"`
	FlaggedSuppliers         int             `json:"flagged_suppliers"` // with at least one unaccepted flag
	// Heatmap counts suppliers by inherent-risk band (rows, 0–19 … 80–100) and posture
	// band (columns, the same bands, then unassessed).
	Heatmap [5][6]int `json:"heatmap"`
}

// FlagLine is a flag as the report shows it.
type FlagLine struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Accepted bool   `json:"accepted"`
}

// SupplierLine is one supplier's row.
type SupplierLine struct {
	Rank         int      `json:"rank,omitempty"` // in WeakLinks only
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Status       string   `json:"status"`
	Criticality  string   `json:"criticality"`
	Country      string   `json:"country"`
	Tier         string   `json:"tier"`          // the residual-risk tier
	InherentTier string   `json:"inherent_tier"` // the tier thresholds applied to inherent risk: the reassessment cadence
	Inherent     float64  `json:"inherent"`
	Posture      *float64 `json:"posture"`
	// PostureProvisional: the posture comes from a submitted assessment nobody has reviewed
	// (false when there is no posture); every format marks it.
	PostureProvisional bool       `json:"posture_provisional"`
	EffectivePosture   *float64   `json:"effective_posture"`
	Residual           float64    `json:"residual"`
	Records            int64      `json:"records"`    // in its care: held and received (PRODUCT.md §2)
	People             People     `json:"people"`     // the people its data in care is about
	Categories         []string   `json:"categories"` // keys in its care, held or received
	LastAssessed       string     `json:"last_assessed"`
	NextReassessment   *string    `json:"next_reassessment_due"` // YYYY-MM-DD by the inherent tier's interval; nil when never assessed
	Flags              []FlagLine `json:"flags"`
}

// ExposureMatrix is category × supplier: records held directly.
type ExposureMatrix struct {
	Categories []CategoryTotal `json:"categories"` // columns: special categories first
	Rows       []ExposureRow   `json:"rows"`       // suppliers holding personal data, by name
}

// ExposureRow is one supplier's records per matrix column (0: none held).
type ExposureRow struct {
	SupplierID string  `json:"supplier_id"`
	Name       string  `json:"name"`
	Records    []int64 `json:"records"`
}

// AssessmentLine is an assessment completed in the quarter.
type AssessmentLine struct {
	SupplierID  string   `json:"supplier_id"`
	Name        string   `json:"name"`
	SubmittedOn string   `json:"submitted_on"`
	Status      string   `json:"status"`
	Score       *float64 `json:"score"`
}

// DueLine is a supplier whose reassessment is due.
type DueLine struct {
	SupplierID string `json:"supplier_id"`
	Name       string `json:"name"`
	Tier       string `json:"inherent_tier"` // the inherent tier whose interval ran out
	DueOn      string `json:"due_on"`
}

// AssessmentsSection says which assessments were done, are overdue, and never done.
type AssessmentsSection struct {
	Completed     []AssessmentLine `json:"completed"`      // submitted in the quarter
	Overdue       []DueLine        `json:"overdue"`        // reassessment due before the as-of date
	NeverAssessed []SupplierRef    `json:"never_assessed"` // holding personal data, never assessed
}

// SupplierRef names a supplier.
type SupplierRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// IncidentLine is an incident and its impact as computed when the report was generated.
type IncidentLine struct {
	ID                  string     `json:"id"`
	SupplierID          string     `json:"supplier_id"`
	SupplierName        string     `json:"supplier_name"`
	Summary             string     `json:"summary"`
	Status              string     `json:"status"`
	AwareAt             time.Time  `json:"aware_at"`
	RegulatorDeadline   time.Time  `json:"regulator_deadline"`
	RegulatorNotifiedAt *time.Time `json:"regulator_notified_at"`
	Records             int64      `json:"records"`
	People              People     `json:"people"`
	SpecialCategory     bool       `json:"special_category"`
	Categories          []string   `json:"categories"`
	Subprocessors       []string   `json:"subprocessors"`
}

// Expiry is a contract or certification that ends next quarter.
type Expiry struct {
	SupplierID string `json:"supplier_id"`
	Name       string `json:"name"`
	What       string `json:"what"` // "contract", or the certification scheme
	On         string `json:"on"`
}

// ExpiringSection lists what ends next quarter, by date.
type ExpiringSection struct {
	From           string   `json:"from"`
	To             string   `json:"to"`
	Contracts      []Expiry `json:"contracts"`
	Certifications []Expiry `json:"certifications"`
}

// AcceptedRisk is a flag accepted when the report was generated.
type AcceptedRisk struct {
	SupplierID string    `json:"supplier_id"`
	Name       string    `json:"name"`
	Flag       string    `json:"flag"`
	Reason     string    `json:"reason"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Changes compares this snapshot with the previous stored report (never with
// today's values).
type Changes struct {
	PreviousID      string        `json:"previous_id"`
	PreviousQuarter string        `json:"previous_quarter"`
	NewSuppliers    []SupplierRef `json:"new_suppliers"`
	ExitedSuppliers []SupplierRef `json:"exited_suppliers"` // in the previous report, not live now (or status exited)
	TierMoves       []TierMove    `json:"tier_moves"`
	PostureDrops    []PostureDrop `json:"posture_drops"` // biggest first, at most ten
	NewFlags        []FlagChange  `json:"new_flags"`
	ResolvedFlags   []FlagChange  `json:"resolved_flags"`
}

// TierMove is a supplier whose tier changed.
type TierMove struct {
	SupplierID string `json:"supplier_id"`
	Name       string `json:"name"`
	From       string `json:"from"`
	To         string `json:"to"`
}

// PostureDrop is a supplier whose posture fell.
type PostureDrop struct {
	SupplierID string  `json:"supplier_id"`
	Name       string  `json:"name"`
	From       float64 `json:"from"`
	To         float64 `json:"to"`
	Drop       float64 `json:"drop"`
}

// FlagChange is a flag raised or resolved since the previous report.
type FlagChange struct {
	SupplierID string `json:"supplier_id"`
	Name       string `json:"name"`
	Code       string `json:"code"`
}

// TrendPoint is the number of flagged suppliers in one stored quarter.
type TrendPoint struct {
	Quarter          string `json:"quarter"`
	FlaggedSuppliers int    `json:"flagged_suppliers"`
}
