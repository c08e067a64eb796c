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

// InvitationBySecretHash finds the invitation whose secret hashes to hash.
func (t *Tx) InvitationBySecretHash(hash string) (InvitationRow, error) {
	var r InvitationRow
	return r, translate("get invitation by secret", t.db.Where("secret_hash = ?", hash).Take(&r).Error)
}

// InvitationsOfSupplier lists a supplier's invitations, newest first.
func (t *Tx) InvitationsOfSupplier(supplierID string) ([]InvitationRow, error) {
	var rows []InvitationRow
	err := t.db.Where("supplier_id = ?", supplierID).Order("created_at DESC").Order(t.collate("id") + " DESC").Find(&rows).Error
	return rows, translate("list invitations of supplier", err)
}

// UpdateInvitationStatus writes an invitation's status and the times that go with
// it if its version is still expectedVersion.
func (t *Tx) UpdateInvitationStatus(r *InvitationRow, expectedVersion int) error {
	r.UpdatedAt = normTime(r.UpdatedAt)
	return t.updateVersioned("update invitation status", "id", r.ID, expectedVersion,
		[]string{"status", "opened_at", "submitted_at", "revoked_at", "version", "updated_at"}, r)
}

// PortalSessionRow is a supplier's browser session opened from an invitation link;
// its token is stored only as a hash.
type PortalSessionRow struct {
	TokenHash    string `gorm:"primaryKey"`
	InvitationID string
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// TableName maps PortalSessionRow to its table.
func (PortalSessionRow) TableName() string { return "portal_sessions" }

// InsertPortalSession stores a session.
func (t *Tx) InsertPortalSession(r PortalSessionRow) error {
	r.CreatedAt, r.ExpiresAt = normTime(r.CreatedAt), normTime(r.ExpiresAt)
	return translate("insert portal session", t.db.Create(&r).Error)
}

// GetPortalSession loads the session whose token hashes to hash.
func (t *Tx) GetPortalSession(hash string) (PortalSessionRow, error) {
	var r PortalSessionRow
	return r, translate("get portal session", t.db.Where("token_hash = ?", hash).Take(&r).Error)
}

// DeleteExpiredPortalSessions deletes the sessions that expired before now and
// returns how many.
func (t *Tx) DeleteExpiredPortalSessions(now time.Time) (int64, error) {
	res := t.db.Where("expires_at < ?", normTime(now)).Delete(&PortalSessionRow{})
	return res.RowsAffected, translate("delete expired portal sessions", res.Error)
}
