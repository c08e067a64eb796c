package store

import (
	"fmt"
	"time"
)

// IncidentQuery filters and pages incidents, newest awareness first.
type IncidentQuery struct {
	SupplierID   string
	Statuses     []string
	UpdatedSince *time.Time // changed at or after this moment (updated_at)
	After        *Keyset    // aware_at, id of the last row seen
	Limit        int
}

// InsertIncident stores a new incident.
func (t *Tx) InsertIncident(r *IncidentRow) error {
	return translate("insert incident", t.db.Create(r).Error)
}

// GetIncident loads one incident.
func (t *Tx) GetIncident(id string) (IncidentRow, error) {
	var r IncidentRow
	return r, translate("get incident", t.db.Where("id = ?", id).Take(&r).Error)
}

// UpdateIncident writes an incident's editable columns if its version is still expectedVersion.
func (t *Tx) UpdateIncident(r *IncidentRow, expectedVersion int) error {
	return t.updateVersioned("update incident", "id", r.ID, expectedVersion,
		[]string{"summary", "description", "status", "aware_at", "supplier_aware_at", "regulator_notified_at",
			"subjects_notified_at", "closed_at", "version", "updated_at"}, r)
}

// ListIncidents returns up to q.Limit+1 incidents, most recent aware_at first.
func (t *Tx) ListIncidents(q IncidentQuery) ([]IncidentRow, error) {
	db := t.db.Model(&IncidentRow{})
	if q.SupplierID != "" {
		db = db.Where("supplier_id = ?", q.SupplierID)
	}
	if len(q.Statuses) > 0 {
		db = db.Where("status IN ?", q.Statuses)
	}
	if q.UpdatedSince != nil {
		db = db.Where("updated_at >= ?", normTime(*q.UpdatedSince))
	}
	id := t.collate("id")
	if q.After != nil {
		db = db.Where(fmt.Sprintf("(aware_at < ? OR (aware_at = ? AND %s < ?))", id), q.After.Value, q.After.Value, q.After.ID)
	}
	var rows []IncidentRow
	err := db.Order("aware_at DESC, " + id + " DESC").Limit(q.Limit + 1).Find(&rows).Error
	return rows, translate("list incidents", err)
}

// OpenIncidents returns every incident that is not closed (status open or contained),
// oldest awareness first, in one statement. Incidents at archived suppliers are
// included; the caller keeps those of the suppliers it reads.
func (t *Tx) OpenIncidents() ([]IncidentRow, error) {
	var rows []IncidentRow
	err := t.db.Where("status <> ?", "closed").Order("aware_at, " + t.collate("id")).Find(&rows).Error
	return rows, translate("open incidents", err)
}
