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

// AllRows lists every row type, for the test that checks them against the schema.
func AllRows() []any {
	return []any{&SupplierRow{}, &APIKeyRow{}, &AuditEventRow{}, &AuditHeadRow{}}
}
