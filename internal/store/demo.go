package store

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// DemoRegisterRow marks a database filled with the fictional demo register: which
// content (the demo's ContentVersion) as of which moment. The table holds at most
// one row (id 1).
type DemoRegisterRow struct {
	ID             int `gorm:"primaryKey"`
	ContentVersion string
	AsOf           time.Time
}

// TableName maps DemoRegisterRow to its table.
func (DemoRegisterRow) TableName() string { return "demo_register" }

// MarkDemo records that the register is the demo; a second mark is ErrDuplicate.
func (t *Tx) MarkDemo(r DemoRegisterRow) error {
	r.ID = 1
	r.AsOf = normTime(r.AsOf)
	return translate("mark demo register", t.db.Create(&r).Error)
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
