package sheetio

import (
	"reflect"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheet"
)

func TestParseWhole(t *testing.T) {
	cases := map[string]int64{"600000": 600000, "600,000": 600000, "1,000,000": 1000000, "600000.0": 600000, "6E5": 600000, "-1": -1, "0": 0}
	for in, want := range cases {
		if got, ok := parseWhole(in); !ok || got != want {
			t.Errorf("parseWhole(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"lots", "1.5", "60,00", "1e20", "", "NaN", "Inf"} {
		if got, ok := parseWhole(in); ok {
			t.Errorf("parseWhole(%q) = %d, want a failure", in, got)
		}
	}
}

func TestListsAndCertificationsRoundTrip(t *testing.T) {
	lists := [][]string{{"members", "supporters"}, {`a;b`, `back\slash`, `both\;`}, {}, {"one"}}
	for _, l := range lists {
		got := splitList(joinList(l))
		if len(l) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, l) {
			t.Errorf("splitList(joinList(%q)) = %q", l, got)
		}
	}
	if got := splitList(" members ;; Supporters; "); !reflect.DeepEqual(got, []string{"members", "Supporters"}) {
		t.Errorf("blank items: %q", got)
	}
	certs := []register.Certification{{Scheme: "iso27001", ExpiresAt: "2027-06-30"},
		{Scheme: "soc2", Reference: "SOC:2; type II", ExpiresAt: "2027-01-31"}}
	text := formatCertifications(certs)
	if text != `iso27001:2027-06-30; soc2:SOC:2\; type II:2027-01-31` {
		t.Errorf("formatted %q", text)
	}
	var back []register.Certification
	for _, item := range splitList(text) {
		c, ok := parseCertification(item)
		if !ok {
			t.Fatalf("parse %q", item)
		}
		back = append(back, c)
	}
	if !reflect.DeepEqual(back, certs) {
		t.Errorf("round trip %+v", back)
	}
	if c, ok := parseCertification("ISO27001 : 2027-06-30"); !ok || c.Scheme != "iso27001" || c.ExpiresAt != "2027-06-30" {
		t.Errorf("typed by hand: %+v %v", c, ok)
	}
	if _, ok := parseCertification("iso27001"); ok {
		t.Error("a certification without an expiry parsed")
	}
}

// The column table documents the layout (template, docs); it must name every value
// the register accepts where a column takes one of a fixed set.
func TestColumnDescriptionsNameEveryValue(t *testing.T) {
	for col, values := range map[string][]string{"criticality": register.Criticalities, "status": register.SupplierStatuses,
		"transfer_mechanism": register.TransferMechanisms, "certifications": register.KnownCertificationSchemes} {
		d := sheet.Columns[sheet.Index(col)].Description
		for _, v := range values {
			if !strings.Contains(d, v) {
				t.Errorf("the description of %s does not mention %s", col, v)
			}
		}
	}
	// Every supplier column is a field of the API's supplier, every holding column one of its holding.
	sup, hold := register.Snapshot(register.SupplierFields{}), register.Snapshot(register.HoldingFields{})
	for _, c := range sheet.Columns {
		name := c.Name
		if name == "supplier_name" {
			name = "name"
		}
		fields := sup
		if c.Group == sheet.HoldingColumn {
			fields = hold
		}
		if _, ok := fields[name]; !ok {
			t.Errorf("column %s is not a field", c.Name)
		}
	}
	if len(sup)+len(hold) != len(sheet.Columns) {
		t.Errorf("%d fields, %d columns: a field has no column", len(sup)+len(hold), len(sheet.Columns))
	}
}

// The supplier columns come first in the layout, as many as the import's hashes
// of a row's supplier cells hold.
func TestSupplierColumnsComeFirst(t *testing.T) {
	for i, c := range sheet.Columns {
		if (i < supplierColumns) != (c.Group == sheet.SupplierColumn) {
			t.Fatalf("column %d (%s): the first %d columns must be the supplier's", i, c.Name, supplierColumns)
		}
	}
}
