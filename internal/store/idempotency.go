package store

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// IdempotencyRow is one Idempotency-Key of one API key: the request it was first
// sent with (Fingerprint) and, once that request finished, its response.
type IdempotencyRow struct {
	APIKeyID        string `gorm:"primaryKey"`
	IdempotencyKey  string `gorm:"primaryKey"`
	Fingerprint     string
	RequestPath     string
	Owner           string    // the request that holds the key while it runs
	LockedUntil     time.Time // until when; after it, a retry may take the key over
	ResponseStatus  *int
	ResponseHeaders *string // JSON object: header name → value
	ResponseBody    *string
	Secret          bool
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// TableName maps IdempotencyRow to its table.
func (IdempotencyRow) TableName() string { return "idempotency_keys" }

// GetIdempotencyKey loads one key's record; ErrNotFound when there is none.
func (t *Tx) GetIdempotencyKey(apiKeyID, key string) (IdempotencyRow, error) {
	var r IdempotencyRow
	err := t.db.Where("api_key_id = ? AND idempotency_key = ?", apiKeyID, key).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, ErrNotFound
	}
	return r, translate("get idempotency key", err)
}

// InsertIdempotencyKey records a key whose first request starts now; a key already
// recorded is ErrDuplicate.
func (t *Tx) InsertIdempotencyKey(r IdempotencyRow) error {
	r.CreatedAt, r.ExpiresAt, r.LockedUntil = normTime(r.CreatedAt), normTime(r.ExpiresAt), normTime(r.LockedUntil)
	return translate("insert idempotency key", t.db.Create(&r).Error)
}

// TakeOverIdempotencyKey gives a running key whose lease has passed to another
// request, with a new lease.
func (t *Tx) TakeOverIdempotencyKey(apiKeyID, key, owner string, lockedUntil time.Time) error {
	return translate("take over idempotency key", t.db.Model(&IdempotencyRow{}).
		Where("api_key_id = ? AND idempotency_key = ? AND response_status IS NULL", apiKeyID, key).
		UpdateColumns(map[string]any{"owner": owner, "locked_until": normTime(lockedUntil)}).Error)
}

// CompleteIdempotencyKey stores the response of a key's first request, if owner
// still holds it; ErrNotFound when it does not.
func (t *Tx) CompleteIdempotencyKey(apiKeyID, key, owner string, status int, headers, body *string, secret bool) error {
	res := t.db.Model(&IdempotencyRow{}).
		Where("api_key_id = ? AND idempotency_key = ? AND owner = ? AND response_status IS NULL", apiKeyID, key, owner).
		UpdateColumns(map[string]any{"response_status": status, "response_headers": headers, "response_body": body, "secret": secret})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return translate("complete idempotency key", res.Error)
}

// DeleteIdempotencyKey forgets a key (the record expired).
func (t *Tx) DeleteIdempotencyKey(apiKeyID, key string) error {
	return translate("delete idempotency key",
		t.db.Where("api_key_id = ? AND idempotency_key = ?", apiKeyID, key).Delete(&IdempotencyRow{}).Error)
}

// ReleaseIdempotencyKey forgets a running key that owner holds (its request failed
// in a way a retry should repeat).
func (t *Tx) ReleaseIdempotencyKey(apiKeyID, key, owner string) error {
	return translate("release idempotency key", t.db.
		Where("api_key_id = ? AND idempotency_key = ? AND owner = ? AND response_status IS NULL", apiKeyID, key, owner).
		Delete(&IdempotencyRow{}).Error)
}

// DeleteExpiredIdempotencyKeys forgets every key that expired before now and says
// how many it deleted.
func (t *Tx) DeleteExpiredIdempotencyKeys(now time.Time) (int64, error) {
	res := t.db.Where("expires_at < ?", normTime(now)).Delete(&IdempotencyRow{})
	return res.RowsAffected, translate("delete expired idempotency keys", res.Error)
}
