package store

import "time"

// SupplierRow is one row of the suppliers table.
type SupplierRow struct {
	ID                      string `gorm:"primaryKey"`
	Name                    string
	NameKey                 string
	Criticality             string
	Status                  string
	Country                 *string
	Services                string
	Website                 string
	SecurityContact         string
	BreachNotificationHours *int
	ContractStart           *string
	ContractEnd             *string
	DPASignedAt             *string `gorm:"column:dpa_signed_at"`
	Certifications          string  // JSON array
	Notes                   string
	ArchivedAt              *time.Time
	Version                 int
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// TableName maps SupplierRow to its table.
func (SupplierRow) TableName() string { return "suppliers" }

// APIKeyRow is one row of the api_keys table. Only the secret's hash is stored.
type APIKeyRow struct {
	ID           string `gorm:"primaryKey"`
	Name         string
	Role         string
	SecretHash   string
	SecretPrefix string
	CreatedBy    *string
	ExpiresAt    *time.Time
	LastUsedAt   *time.Time
	RevokedAt    *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName maps APIKeyRow to its table.
func (APIKeyRow) TableName() string { return "api_keys" }

// AuditEventRow is one row of the append-only audit_events table.
type AuditEventRow struct {
	Seq          int64 `gorm:"primaryKey;autoIncrement:false"`
	ID           string
	OccurredAt   time.Time
	ActorKeyID   *string
	ActorName    string
	Action       string
	ResourceType string
	ResourceID   string
	Changes      string // JSON object
	RequestID    string
	ClientIP     string `gorm:"column:client_ip"`
	PrevHash     string
	Hash         string
	// HashAlgorithm is how Hash was computed: "sha256" or "hmac-sha256".
	HashAlgorithm string
}

// TableName maps AuditEventRow to its table.
func (AuditEventRow) TableName() string { return "audit_events" }

// AuditHeadRow is the single row holding the chain's newest sequence number and hash.
type AuditHeadRow struct {
	ID   int `gorm:"primaryKey;autoIncrement:false"`
	Seq  int64
	Hash string
}

// TableName maps AuditHeadRow to its table.
func (AuditHeadRow) TableName() string { return "audit_head" }

// CategoryRow is one entry of the data category catalogue.
type CategoryRow struct {
	ID              string `gorm:"primaryKey"`
	Key             string
	Name            string
	Description     string
	Sensitivity     int
	SpecialCategory bool
	CriminalOffence bool
	BuiltIn         bool
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName maps CategoryRow to its table.
func (CategoryRow) TableName() string { return "data_categories" }

// HoldingRow records that a supplier holds one category of personal data.
type HoldingRow struct {
	ID                string `gorm:"primaryKey"`
	SupplierID        string
	CategoryKey       string
	DataSubjects      string // JSON array
	RecordCount       int64
	Purpose           string
	Locations         string // JSON array of country codes
	TransferMechanism *string
	RetentionPeriod   *string
	RetentionUntil    *string
	HeldSince         *string
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName maps HoldingRow to its table.
func (HoldingRow) TableName() string { return "data_holdings" }

// LinkRow is a sub-processor link: supplier passes data to subprocessor.
type LinkRow struct {
	ID             string `gorm:"primaryKey"`
	SupplierID     string
	SubprocessorID string
	AuthorisedAt   *string
	RecordCount    *int64 // records passed on per category named; nil: all of them
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName maps LinkRow to its table.
func (LinkRow) TableName() string { return "subprocessor_links" }

// LinkCategoryRow names one category that flows along a link.
type LinkCategoryRow struct {
	LinkID      string `gorm:"primaryKey"`
	CategoryKey string `gorm:"primaryKey"`
}

// TableName maps LinkCategoryRow to its table.
func (LinkCategoryRow) TableName() string { return "subprocessor_link_categories" }

// IncidentRow is a security incident reported at a supplier.
type IncidentRow struct {
	ID                  string `gorm:"primaryKey"`
	SupplierID          string
	Summary             string
	Description         string
	Status              string
	AwareAt             time.Time
	SupplierAwareAt     *time.Time
	RegulatorNotifiedAt *time.Time
	SubjectsNotifiedAt  *time.Time
	ClosedAt            *time.Time
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// TableName maps IncidentRow to its table.
func (IncidentRow) TableName() string { return "incidents" }

// AllRows lists every row type, for the test that checks them against the schema.
func AllRows() []any {
	return []any{&SupplierRow{}, &APIKeyRow{}, &AuditEventRow{}, &AuditHeadRow{}, &CategoryRow{}, &HoldingRow{},
		&LinkRow{}, &LinkCategoryRow{}, &IncidentRow{}, &QuestionnaireRow{}, &AssessmentRow{}, &AcceptanceRow{}, &ReportRow{},
		&RiskRow{}, &RiskFlagRow{}, &RiskCareRow{}, &RiskStateRow{}, &RiskHistoryRow{}, &DemoRegisterRow{}, &IdempotencyRow{}, &InvitationRow{}, &PortalSessionRow{}, &EvidenceFileRow{}, &EvidenceChunkRow{}}
}

// QuestionnaireRow is one version of a questionnaire; Questions is its JSON.
type QuestionnaireRow struct {
	ID          string `gorm:"primaryKey"`
	FamilyID    string
	Revision    int
	Name        string
	Description string
	Status      string
	Questions   string
	BuiltIn     bool
	PublishedAt *time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName maps QuestionnaireRow to its table.
func (QuestionnaireRow) TableName() string { return "questionnaires" }

// AssessmentRow is one supplier's answers to one questionnaire version.
type AssessmentRow struct {
	ID              string `gorm:"primaryKey"`
	SupplierID      string
	QuestionnaireID string
	Status          string
	Answers         string // JSON object: question key → option value
	Comments        string // JSON object
	Evidence        string // JSON object
	Score           *float64
	ScoreDetail     *string // JSON of the scoring breakdown, frozen at submission
	Methodology     *string
	SubmittedBy     *string // API key id
	// SubmittedByInvitation is the invitation whose link holder submitted through the portal.
	SubmittedByInvitation *string
	SubmittedAt           *time.Time
	ReviewedBy            *string
	ReviewedAt            *time.Time
	ReviewComment         string
	Version               int
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName maps AssessmentRow to its table.
func (AssessmentRow) TableName() string { return "assessments" }

// AcceptanceRow is an admin's time-limited acceptance of one flag on one supplier.
type AcceptanceRow struct {
	ID         string `gorm:"primaryKey"`
	SupplierID string
	FlagCode   string
	Reason     string
	ExpiresAt  time.Time
	AcceptedBy *string
	RevokedAt  *time.Time
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName maps AcceptanceRow to its table.
func (AcceptanceRow) TableName() string { return "risk_acceptances" }

// ReportRow is a stored quarterly report; Snapshot is its JSON, frozen.
type ReportRow struct {
	ID               string `gorm:"primaryKey"`
	Quarter          string
	Revision         int
	AsOf             time.Time
	Snapshot         string
	RendererVersion  string
	Hashes           string // JSON object: format → SHA-256
	FlaggedSuppliers int
	GeneratedBy      *string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// TableName maps ReportRow to its table.
func (ReportRow) TableName() string { return "reports" }
