// Package sheetio is the spreadsheet import and export of the register: it reads a
// CSV or XLSX file in the layout of internal/sheet, turns cells into the fields the
// API takes, validates them by the register's rules and applies the whole file in
// one transaction, all or nothing; and it writes the register back in the same
// layout, so that a sheet round-trips. It reaches the register only through its
// bulk surface (register.Service.SuppliersByNameKey, HoldingsOfSuppliers,
// CategoryKeys, LiveSuppliersWithHoldings, ApplyBulk); the register never imports it.
package sheetio

import (
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// Service runs the import and export use cases.
type Service struct {
	reg *register.Service
	st  *store.Store
}

// New returns the import and export service over the register and its store.
func New(reg *register.Service, st *store.Store) *Service { return &Service{reg: reg, st: st} }
