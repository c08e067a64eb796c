package store

import "time"

// InvitationRow is a questionnaire link sent to a supplier's contact.
type InvitationRow struct {
	ID           string `gorm:"primaryKey"`
	AssessmentID string
	SupplierID   string
	ContactEmail string
	ContactName  string
	DueAt        time.Time
	ExpiresAt    time.Time
	SecretHash   string
	SecretPrefix string
	Status       string
	CreatedBy    *string
	OpenedAt     *time.Time
	SubmittedAt  *time.Time
	RevokedAt    *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName maps InvitationRow to its table.
func (InvitationRow) TableName() string { return "invitations" }

// InsertInvitation stores an invitation.
func (t *Tx) InsertInvitation(r *InvitationRow) error {
	r.DueAt, r.ExpiresAt = normTime(r.DueAt), normTime(r.ExpiresAt)
	r.CreatedAt, r.UpdatedAt = normTime(r.CreatedAt), normTime(r.UpdatedAt)
	return translate("insert invitation", t.db.Create(r).Error)
}

// GetInvitation loads one invitation.
func (t *Tx) GetInvitation(id string) (InvitationRow, error) {
	var r InvitationRow
	return r, translate("get invitation", t.db.Where("id = ?", id).Take(&r).Error)
}

// InvitationsOfAssessment lists an assessment's invitations, newest first.
func (t *Tx) InvitationsOfAssessment(assessmentID string) ([]InvitationRow, error) {
	var rows []InvitationRow
	err := t.db.Where("assessment_id = ?", assessmentID).Order("created_at DESC").Order(t.collate("id") + " DESC").Find(&rows).Error
	return rows, translate("list invitations of assessment", err)
}

// AllInvitations lists every invitation, newest first (one or a few per assessment).
func (t *Tx) AllInvitations() ([]InvitationRow, error) {
	var rows []InvitationRow
	err := t.db.Order("created_at DESC").Order(t.collate("id") + " DESC").Find(&rows).Error
	return rows, translate("list invitations", err)
}

// RevokeInvitation marks an invitation revoked if its version is still expectedVersion.
func (t *Tx) RevokeInvitation(r *InvitationRow, expectedVersion int) error {
	return t.updateVersioned("revoke invitation", "id", r.ID, expectedVersion, []string{"status", "revoked_at", "version", "updated_at"}, r)
}
