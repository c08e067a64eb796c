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

// A number cell has one meaning or is refused: a point followed by one group of
// three digits is a thousands separator in some countries and a decimal point in
// others (600.000 was stored as 600); other ways of writing numbers that are not
// plain whole numbers are refused too.
func TestParseWholeRefusesAmbiguousNumbers(t *testing.T) {
	for in, want := range map[string]int64{"1.000.000": 1000000, "600.0": 600, "600.00": 600, "1234.000": 1234, "+5": 5, "1e3": 1000} {
		if got, ok := parseWhole(in); !ok || got != want || ambiguousWhole(in) {
			t.Errorf("parseWhole(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"600.000", "1.500", "6.000"} {
		if got, ok := parseWhole(in); ok || !ambiguousWhole(in) {
			t.Errorf("parseWhole(%q) = %d, %v; want it refused as ambiguous", in, got, ok)
		}
	}
	for _, in := range []string{"0x1p4", "1_000", "1.000,5", "1,000.5", "1.000.00", "Infinity"} {
		if got, ok := parseWhole(in); ok {
			t.Errorf("parseWhole(%q) = %d, want a failure", in, got)
		}
	}
}

// List cells split at semicolons and commas; a backslash escapes either, or itself.
func TestListCellSeparators(t *testing.T) {
	cases := map[string][]string{
		"members, supporters":       {"members", "supporters"},
		"members; supporters,staff": {"members", "supporters", "staff"},
		`past\, present\; future`:   {"past, present; future"},
		`C:\\temp, C:\dir`:          {`C:\temp`, `C:\dir`},
		`trailing\`:                 {`trailing\`},
		" , ;; ":                    nil,
		`a\\, b`:                    {`a\`, "b"},
		"Société Générale, 日本; Ελλάδα": {"Société Générale", "日本", "Ελλάδα"},
	}
	for in, want := range cases {
		if got := splitList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitList(%q) = %q, want %q", in, got, want)
		}
	}
	for _, items := range [][]string{{"a,b", "c;d", `e\f`, `g\`, `\,`}, {"one"}} {
		if got := splitList(joinList(items)); !reflect.DeepEqual(got, items) {
			t.Errorf("splitList(joinList(%q)) = %q", items, got)
		}
	}
	if got := joinList([]string{"a,b", "c;d", `e\f`}); got != `a\,b; c\;d; e\\f` {
		t.Errorf("joinList = %q", got)
	}
}
