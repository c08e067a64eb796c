package store

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// DemoRegisterRow marks a database filled with the fictional demo register: which
// content (the demo's ContentVersion) as of which moment, and whether the load
// completed. The table holds at most one row (id 1).
type DemoRegisterRow struct {
	ID             int `gorm:"primaryKey"`
	ContentVersion string
	AsOf           time.Time
	Complete       bool
}

// TableName maps DemoRegisterRow to its table.
func (DemoRegisterRow) TableName() string { return "demo_register" }

// ClaimDemo records, incomplete, that the register is being filled with the demo;
// a database already marked is ErrDuplicate.
func (t *Tx) ClaimDemo(contentVersion string, asOf time.Time) error {
	r := DemoRegisterRow{ID: 1, ContentVersion: contentVersion, AsOf: normTime(asOf)}
	return translate("claim demo register", t.db.Create(&r).Error)
}

// CompleteDemo marks the demo claimed by ClaimDemo as completely loaded.
func (t *Tx) CompleteDemo() error {
	res := t.db.Model(&DemoRegisterRow{}).Where("id = 1 AND complete = ?", false).Update("complete", true)
	if res.Error == nil && res.RowsAffected != 1 {
		return ErrNotFound
	}
	return translate("complete demo register", res.Error)
}

// DemoMark returns the demo mark and whether there is one.
func (t *Tx) DemoMark() (DemoRegisterRow, bool, error) {
	var r DemoRegisterRow
	err := t.db.Where("id = 1").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DemoRegisterRow{}, false, nil
	}
	return r, err == nil, translate("read demo mark", err)
}

// CountSuppliers counts every supplier, archived ones included.
func (t *Tx) CountSuppliers() (int64, error) {
	var n int64
	return n, translate("count suppliers", t.db.Model(&SupplierRow{}).Count(&n).Error)
}
