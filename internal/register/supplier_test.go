package register

import (
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestSupplierValidation(t *testing.T) {
	valid := func() SupplierFields {
		return SupplierFields{Name: "Quayside Mail", Criticality: "high", Country: ptr("gb"),
			SecurityContact: "security@quayside.example", BreachNotificationHours: ptr(24),
			DPASignedAt: ptr("2024-02-01"), ContractStart: ptr("2024-01-01"), ContractEnd: ptr("2026-12-31"),
			Certifications: []Certification{{Scheme: "iso27001", ExpiresAt: "2026-06-30"}}}
	}
	cases := []struct {
		name   string
		edit   func(*SupplierFields)
		fields []string // expected failing fields, in order; none means valid
	}{
		{"complete supplier", func(*SupplierFields) {}, nil},
		{"minimal supplier", func(f *SupplierFields) { *f = SupplierFields{Name: "A", Criticality: "low"} }, nil},
		{"missing name and criticality", func(f *SupplierFields) { f.Name, f.Criticality = "  ", "" }, []string{"name", "criticality"}},
		{"name too long", func(f *SupplierFields) { f.Name = strings.Repeat("x", 201) }, []string{"name"}},
		{"name with control character", func(f *SupplierFields) { f.Name = "a\u0007b" }, []string{"name"}},
		{"unknown criticality", func(f *SupplierFields) { f.Criticality = "severe" }, []string{"criticality"}},
		{"unknown status", func(f *SupplierFields) { f.Status = "paused" }, []string{"status"}},
		{"not a country", func(f *SupplierFields) { f.Country = ptr("UK") }, []string{"country"}},
		{"website without scheme", func(f *SupplierFields) { f.Website = "quayside.example" }, []string{"website"}},
		{"contact not an email", func(f *SupplierFields) { f.SecurityContact = "call Bob" }, []string{"security_contact"}},
		{"negative notification window", func(f *SupplierFields) { f.BreachNotificationHours = ptr(-1) }, []string{"breach_notification_hours"}},
		{"impossible date", func(f *SupplierFields) { f.ContractStart = ptr("2024-02-30") }, []string{"contract_start"}},
		{"contract ends before it starts", func(f *SupplierFields) { f.ContractEnd = ptr("2023-12-31") }, []string{"contract_end"}},
		{"DPA signed in the future", func(f *SupplierFields) { f.DPASignedAt = ptr("2027-01-01") }, []string{"dpa_signed_at"}},
		{"certification without expiry", func(f *SupplierFields) { f.Certifications[0].ExpiresAt = "" }, []string{"certifications[0].expires_at"}},
		{"certification scheme with spaces", func(f *SupplierFields) { f.Certifications[0].Scheme = "ISO 27001" }, []string{"certifications[0].scheme"}},
		{"duplicate certification", func(f *SupplierFields) {
			f.Certifications = append(f.Certifications, f.Certifications[0])
		}, []string{"certifications[1].scheme"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.edit(&f)
			f.Normalize()
			err := f.Validate("2026-11-23")
			var got []string
			if err != nil {
				for _, fe := range err.(*Error).Fields {
					got = append(got, fe.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("failing fields = %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestNormalizeAppliesDefaults(t *testing.T) {
	f := SupplierFields{Name: "  Quayside  ", Criticality: "low", Country: ptr(" gb ")}
	f.Normalize()
	if f.Name != "Quayside" || f.Status != "active" || *f.Country != "GB" || f.Certifications == nil {
		t.Fatalf("normalize: %+v", f)
	}
}

func TestCountryList(t *testing.T) {
	if n := len(countries); n != 249 {
		t.Fatalf("%d ISO 3166-1 alpha-2 codes, want 249", n)
	}
	for _, c := range []string{"GB", "DE", "US", "IN"} {
		if !ValidCountry(c) {
			t.Errorf("%s rejected", c)
		}
	}
	for _, c := range []string{"UK", "EU", "gb", "XX", ""} {
		if ValidCountry(c) {
			t.Errorf("%s accepted", c)
		}
	}
}
