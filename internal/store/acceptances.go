package store

import "time"

// InsertAcceptance stores a risk acceptance.
func (t *Tx) InsertAcceptance(r *AcceptanceRow) error {
	return translate("insert risk acceptance", t.db.Create(r).Error)
}

// GetAcceptance loads one risk acceptance.
func (t *Tx) GetAcceptance(id string) (AcceptanceRow, error) {
	var r AcceptanceRow
	return r, translate("get risk acceptance", t.db.Where("id = ?", id).Take(&r).Error)
}

// RevokeAcceptance withdraws an acceptance if its version is still expectedVersion.
func (t *Tx) RevokeAcceptance(r *AcceptanceRow, expectedVersion int) error {
	return t.updateVersioned("revoke risk acceptance", "id", r.ID, expectedVersion, revokeColumns, r)
}

// AcceptancesOfSupplier lists a supplier's acceptances, newest first, history included.
func (t *Tx) AcceptancesOfSupplier(supplierID string) ([]AcceptanceRow, error) {
	var rows []AcceptanceRow
	err := t.db.Where("supplier_id = ?", supplierID).Order("created_at DESC").Order(t.collate("id")).Find(&rows).Error
	return rows, translate("list risk acceptances", err)
}

// ActiveAcceptances returns every acceptance in force at now (not withdrawn, not
// expired), for the given supplier or, with "", for every supplier.
func (t *Tx) ActiveAcceptances(supplierID string, now time.Time) ([]AcceptanceRow, error) {
	q := t.db.Where("revoked_at IS NULL AND expires_at > ?", normTime(now))
	if supplierID != "" {
		q = q.Where("supplier_id = ?", supplierID)
	}
	var rows []AcceptanceRow
	return rows, translate("active risk acceptances", q.Find(&rows).Error)
}
