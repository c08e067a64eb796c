package sheetio

import (
	"math"
	"strconv"
	"strings"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheet"
)

// Spreadsheet cells ⇄ domain fields. Parsing turns what people type into the
// fields the API takes; formatting writes stored values so that parsing them back
// gives the same fields.

// column positions in sheet.Columns.
var (
	colName      = sheet.Index("supplier_name")
	colCategory  = sheet.Index("category")
	firstHolding = sheet.Index("category")
)

// columnSet says which columns of sheet.Columns a file has.
type columnSet interface{ Has(i int) bool }

// cellErr is a problem with one cell, before validation.
type cellErr struct {
	field   string // within the row: the column, or an element such as certifications[1]
	message string
}

// parseSupplierCells reads the supplier columns the sheet has into fields;
// columns it lacks stay zero (overlaySupplier then leaves them alone).
func parseSupplierCells(t columnSet, cells []string) (register.SupplierFields, []cellErr) {
	var f register.SupplierFields
	var errs []cellErr
	get := func(col string) (string, bool) {
		i := sheet.Index(col)
		return strings.TrimSpace(cells[i]), t.Has(i)
	}
	optional := func(col string) *string {
		if v, ok := get(col); ok && v != "" {
			return &v
		}
		return nil
	}
	f.Name = cells[colName]
	if v, ok := get("criticality"); ok {
		f.Criticality = strings.ToLower(v)
	}
	if v, ok := get("status"); ok {
		f.Status = strings.ToLower(v)
	}
	f.Country = optional("country")
	f.Services, f.Website, f.SecurityContact, f.Notes = cells[sheet.Index("services")], cells[sheet.Index("website")],
		cells[sheet.Index("security_contact")], cells[sheet.Index("notes")]
	if v, ok := get("breach_notification_hours"); ok && v != "" {
		n, ok := parseWhole(v)
		switch {
		case ambiguousWhole(v):
			errs = append(errs, cellErr{"breach_notification_hours", ambiguousNumber})
		case !ok || n < math.MinInt32 || n > math.MaxInt32:
			errs = append(errs, cellErr{"breach_notification_hours", "must be a whole number of hours, such as 24"})
		default:
			h := int(n)
			f.BreachNotificationHours = &h
		}
	}
	f.ContractStart, f.ContractEnd, f.DPASignedAt = optional("contract_start"), optional("contract_end"), optional("dpa_signed_at")
	if v, _ := get("certifications"); v != "" {
		for i, item := range splitList(v) {
			c, ok := parseCertification(item)
			if !ok {
				errs = append(errs, cellErr{"certifications[" + strconv.Itoa(i) + "]",
					"must be written scheme:expiry or scheme:reference:expiry, such as iso27001:2027-06-30"})
				continue
			}
			f.Certifications = append(f.Certifications, c)
		}
	}
	return f, errs
}

// hasHolding reports whether a row fills in any data holding column.
func hasHolding(t columnSet, cells []string) bool {
	for i := firstHolding; i < len(sheet.Columns); i++ {
		if t.Has(i) && strings.TrimSpace(cells[i]) != "" {
			return true
		}
	}
	return false
}

// parseHoldingCells reads the holding columns the sheet has into fields.
func parseHoldingCells(t columnSet, cells []string) (register.HoldingFields, []cellErr) {
	var f register.HoldingFields
	var errs []cellErr
	get := func(col string) (string, bool) {
		i := sheet.Index(col)
		return strings.TrimSpace(cells[i]), t.Has(i)
	}
	optional := func(col string, fold func(string) string) *string {
		if v, ok := get(col); ok && v != "" {
			v = fold(v)
			return &v
		}
		return nil
	}
	same := func(s string) string { return s }
	f.Category = strings.ToLower(strings.TrimSpace(cells[colCategory]))
	if v, ok := get("data_subjects"); ok {
		f.DataSubjects = splitList(v)
	}
	if v, ok := get("record_count"); ok && v != "" {
		switch n, ok := parseWhole(v); {
		case ambiguousWhole(v):
			errs = append(errs, cellErr{"record_count", ambiguousNumber})
		case ok:
			f.RecordCount = &n
		default:
			errs = append(errs, cellErr{"record_count", "must be a whole number of records, such as 600000"})
		}
	}
	f.Purpose = cells[sheet.Index("purpose")]
	if v, ok := get("locations"); ok {
		f.Locations = splitList(v)
	}
	f.TransferMechanism = optional("transfer_mechanism", strings.ToLower)
	f.RetentionPeriod = optional("retention_period", strings.ToUpper)
	f.RetentionUntil, f.HeldSince = optional("retention_until", same), optional("held_since", same)
	return f, errs
}

// overlaySupplier copies the columns the sheet has from src onto dst.
func overlaySupplier(dst *register.SupplierFields, src register.SupplierFields, t columnSet) {
	set := func(col string, apply func()) {
		if t.Has(sheet.Index(col)) {
			apply()
		}
	}
	dst.Name = src.Name
	set("criticality", func() { dst.Criticality = src.Criticality })
	set("status", func() { dst.Status = src.Status })
	set("country", func() { dst.Country = src.Country })
	set("services", func() { dst.Services = src.Services })
	set("website", func() { dst.Website = src.Website })
	set("security_contact", func() { dst.SecurityContact = src.SecurityContact })
	set("breach_notification_hours", func() { dst.BreachNotificationHours = src.BreachNotificationHours })
	set("contract_start", func() { dst.ContractStart = src.ContractStart })
	set("contract_end", func() { dst.ContractEnd = src.ContractEnd })
	set("dpa_signed_at", func() { dst.DPASignedAt = src.DPASignedAt })
	set("certifications", func() { dst.Certifications = append([]register.Certification(nil), src.Certifications...) })
	set("notes", func() { dst.Notes = src.Notes })
}

// overlayHolding copies the holding columns the sheet has from src onto dst.
func overlayHolding(dst *register.HoldingFields, src register.HoldingFields, t columnSet) {
	set := func(col string, apply func()) {
		if t.Has(sheet.Index(col)) {
			apply()
		}
	}
	dst.Category = src.Category
	set("data_subjects", func() { dst.DataSubjects = append([]string(nil), src.DataSubjects...) })
	set("record_count", func() { dst.RecordCount = src.RecordCount })
	set("purpose", func() { dst.Purpose = src.Purpose })
	set("locations", func() { dst.Locations = append([]string(nil), src.Locations...) })
	set("transfer_mechanism", func() { dst.TransferMechanism = src.TransferMechanism })
	set("retention_period", func() { dst.RetentionPeriod = src.RetentionPeriod })
	set("retention_until", func() { dst.RetentionUntil = src.RetentionUntil })
	set("held_since", func() { dst.HeldSince = src.HeldSince })
}

// exportCells writes a supplier and one of its holdings (or none) as a row.
func exportCells(s register.Supplier, h *register.Holding) []string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	row := make([]string, len(sheet.Columns))
	set := func(col, v string) { row[sheet.Index(col)] = v }
	set("supplier_name", s.Name)
	set("criticality", s.Criticality)
	set("status", s.Status)
	set("country", str(s.Country))
	set("services", s.Services)
	set("website", s.Website)
	set("security_contact", s.SecurityContact)
	if s.BreachNotificationHours != nil {
		set("breach_notification_hours", strconv.Itoa(*s.BreachNotificationHours))
	}
	set("contract_start", str(s.ContractStart))
	set("contract_end", str(s.ContractEnd))
	set("dpa_signed_at", str(s.DPASignedAt))
	set("certifications", formatCertifications(s.Certifications))
	set("notes", s.Notes)
	if h == nil {
		return row
	}
	set("category", h.Category)
	set("data_subjects", joinList(h.DataSubjects))
	if h.RecordCount != nil {
		set("record_count", strconv.FormatInt(*h.RecordCount, 10))
	}
	set("purpose", h.Purpose)
	set("locations", joinList(h.Locations))
	set("transfer_mechanism", str(h.TransferMechanism))
	set("retention_period", str(h.RetentionPeriod))
	set("retention_until", str(h.RetentionUntil))
	set("held_since", str(h.HeldSince))
	return row
}
