package store

import (
	"fmt"
	"time"
)

// AuditQuery filters the audit trail; results come newest first.
type AuditQuery struct {
	ResourceType string
	ResourceID   string
	ActorKeyID   string
	Action       string
	Since, Until *time.Time
	BeforeSeq    int64 // 0: from the newest
	Limit        int
}

// AuditHead reads the chain's head (sequence number and hash of the newest event).
// Call it inside Write: the write lock keeps it current until commit.
func (t *Tx) AuditHead() (AuditHeadRow, error) {
	var h AuditHeadRow
	return h, translate("read audit head", t.db.Where("id = 1").Take(&h).Error)
}

// AppendAudit inserts an event and moves the head to it.
func (t *Tx) AppendAudit(r *AuditEventRow) error {
	if err := t.db.Create(r).Error; err != nil {
		return translate("append audit event", err)
	}
	res := t.db.Model(&AuditHeadRow{}).Where("id = 1 AND seq = ?", r.Seq-1).
		Updates(map[string]any{"seq": r.Seq, "hash": r.Hash})
	if res.Error != nil {
		return translate("move audit head", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("move audit head: head is not at %d", r.Seq-1)
	}
	return nil
}

// ListAudit returns up to q.Limit+1 events, newest first.
func (t *Tx) ListAudit(q AuditQuery) ([]AuditEventRow, error) {
	db := t.db.Model(&AuditEventRow{})
	if q.ResourceType != "" {
		db = db.Where("resource_type = ?", q.ResourceType)
	}
	if q.ResourceID != "" {
		db = db.Where("resource_id = ?", q.ResourceID)
	}
	if q.ActorKeyID != "" {
		db = db.Where("actor_key_id = ?", q.ActorKeyID)
	}
	if q.Action != "" {
		db = db.Where("action = ?", q.Action)
	}
	if q.Since != nil {
		db = db.Where("occurred_at >= ?", normTime(*q.Since))
	}
	if q.Until != nil {
		db = db.Where("occurred_at < ?", normTime(*q.Until))
	}
	if q.BeforeSeq > 0 {
		db = db.Where("seq < ?", q.BeforeSeq)
	}
	var rows []AuditEventRow
	err := db.Order("seq DESC").Limit(q.Limit + 1).Find(&rows).Error
	return rows, translate("list audit events", err)
}

// ScanAudit returns up to limit events with seq > afterSeq in chain order, for verification.
func (t *Tx) ScanAudit(afterSeq int64, limit int) ([]AuditEventRow, error) {
	var rows []AuditEventRow
	err := t.db.Where("seq > ?", afterSeq).Order("seq ASC").Limit(limit).Find(&rows).Error
	return rows, translate("scan audit events", err)
}

// NewestAuditWithAlgorithm returns the newest event whose hash was computed with alg
// ("sha256" or "hmac-sha256"), or ErrNotFound when there is none.
func (t *Tx) NewestAuditWithAlgorithm(alg string) (AuditEventRow, error) {
	var r AuditEventRow
	err := t.db.Where("hash_algorithm = ?", alg).Order("seq DESC").Take(&r).Error
	return r, translate("read newest audit event by algorithm", err)
}

// AuditEventAt returns the event with sequence number seq, or ErrNotFound.
func (t *Tx) AuditEventAt(seq int64) (AuditEventRow, error) {
	var r AuditEventRow
	return r, translate("read audit event", t.db.Where("seq = ?", seq).Take(&r).Error)
}

// AuditHeadAt reads the chain's head as it stood at t: the newest event that occurred
// at or before t (Seq 0 and an empty hash when none had).
func (t *Tx) AuditHeadAt(at time.Time) (AuditHeadRow, error) {
	var rows []AuditEventRow
	err := t.db.Select("seq, hash").Where("occurred_at <= ?", normTime(at)).Order("seq DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return AuditHeadRow{ID: 1}, translate("audit head at", err)
	}
	return AuditHeadRow{ID: 1, Seq: rows[0].Seq, Hash: rows[0].Hash}, nil
}
