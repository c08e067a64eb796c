package store

import "time"

// InsertAPIKey stores a new API key (its hash only).
func (t *Tx) InsertAPIKey(r *APIKeyRow) error {
	return translate("insert api key", t.db.Create(r).Error)
}

// GetAPIKey loads one key by id. ErrNotFound when absent.
func (t *Tx) GetAPIKey(id string) (APIKeyRow, error) {
	var r APIKeyRow
	return r, translate("get api key", t.db.Where("id = ?", id).Take(&r).Error)
}

// FindAPIKeyByHash loads the key whose secret hashes to hash. ErrNotFound when none.
func (t *Tx) FindAPIKeyByHash(hash string) (APIKeyRow, error) {
	var r APIKeyRow
	return r, translate("find api key", t.db.Where("secret_hash = ?", hash).Take(&r).Error)
}

// CountAPIKeys counts every key ever created, revoked or not.
func (t *Tx) CountAPIKeys() (int64, error) {
	var n int64
	return n, translate("count api keys", t.db.Model(&APIKeyRow{}).Count(&n).Error)
}

// CountUsableAdmins counts admin keys that are neither revoked nor expired at now.
func (t *Tx) CountUsableAdmins(now time.Time) (int64, error) {
	var n int64
	err := t.db.Model(&APIKeyRow{}).
		Where("role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", normTime(now)).
		Count(&n).Error
	return n, translate("count admin keys", err)
}

// ListAPIKeys pages keys by creation time, oldest first.
func (t *Tx) ListAPIKeys(since *time.Time, after *Keyset, limit int) ([]APIKeyRow, error) {
	db := t.db.Model(&APIKeyRow{})
	if since != nil {
		db = db.Where("updated_at >= ?", normTime(*since))
	}
	id := t.collate("id")
	if after != nil {
		db = db.Where("(created_at > ? OR (created_at = ? AND "+id+" > ?))", after.Value, after.Value, after.ID)
	}
	var rows []APIKeyRow
	err := db.Order("created_at ASC, " + id + " ASC").Limit(limit + 1).Find(&rows).Error
	return rows, translate("list api keys", err)
}

// RevokeAPIKey marks a key revoked if its version is still expectedVersion.
func (t *Tx) RevokeAPIKey(r *APIKeyRow, expectedVersion int) error {
	return t.updateVersioned("revoke api key", "id", r.ID, expectedVersion, revokeColumns, r)
}

// TouchAPIKey records a use of the key, at most once per interval so that reads do
// not turn into a write per request. It is bookkeeping, not a change, so it is not audited
// and does not bump the version.
func (t *Tx) TouchAPIKey(id string, now time.Time, interval time.Duration) error {
	now = normTime(now)
	err := t.db.Model(&APIKeyRow{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, now.Add(-interval)).
		UpdateColumn("last_used_at", now).Error
	return translate("touch api key", err)
}
