package register

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Criticality values: how much the business depends on a supplier.
var Criticalities = []string{"low", "medium", "high", "critical"}

// Supplier lifecycle statuses.
var SupplierStatuses = []string{"onboarding", "active", "offboarding", "exited"}

// KnownCertificationSchemes are the schemes the methodology knows by name; other
// schemes matching the key pattern may be recorded too.
var KnownCertificationSchemes = []string{"iso27001", "soc2", "cyber_essentials", "cyber_essentials_plus"}

// Certification is a security certification a supplier holds, with its expiry date.
type Certification struct {
	Scheme    string `json:"scheme"`
	Reference string `json:"reference"`
	ExpiresAt string `json:"expires_at"`
}

// SupplierFields are the fields a client writes. Dates are "YYYY-MM-DD".
type SupplierFields struct {
	Name                    string          `json:"name"`
	Criticality             string          `json:"criticality"`
	Status                  string          `json:"status"`
	Country                 *string         `json:"country"`
	Services                string          `json:"services"`
	Website                 string          `json:"website"`
	SecurityContact         string          `json:"security_contact"`
	BreachNotificationHours *int            `json:"breach_notification_hours"`
	ContractStart           *string         `json:"contract_start"`
	ContractEnd             *string         `json:"contract_end"`
	DPASignedAt             *string         `json:"dpa_signed_at"`
	Certifications          []Certification `json:"certifications"`
	Notes                   string          `json:"notes"`
}

// Supplier is a third party in the register.
type Supplier struct {
	SupplierFields
	ID         string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
	Risk       *RiskSummary // computed on read; nil where not asked for
}

// Field limits, also stated in openapi.yaml.
const (
	maxNameLen      = 200
	maxServicesLen  = 2000
	maxURLLen       = 500
	maxContactLen   = 320
	maxNotesLen     = 4000
	maxCertificates = 50
	maxReferenceLen = 200
	maxNotifyHours  = 8760
)

// Normalize trims text and applies defaults, as every write does before validating.
func (f *SupplierFields) Normalize() {
	f.Name = strings.TrimSpace(f.Name)
	f.Services = strings.TrimSpace(f.Services)
	f.Website = strings.TrimSpace(f.Website)
	f.SecurityContact = strings.TrimSpace(f.SecurityContact)
	f.Notes = strings.TrimSpace(f.Notes)
	if f.Status == "" {
		f.Status = "active"
	}
	if f.Country != nil {
		c := strings.ToUpper(strings.TrimSpace(*f.Country))
		f.Country = &c
	}
	if f.Certifications == nil {
		f.Certifications = []Certification{}
	}
	for i := range f.Certifications {
		f.Certifications[i].Scheme = strings.TrimSpace(f.Certifications[i].Scheme)
		f.Certifications[i].Reference = strings.TrimSpace(f.Certifications[i].Reference)
	}
}

// Validate checks every field by the API's rules as of today (YYYY-MM-DD) and
// reports all failures at once: CodeInvalid with every field error.
func (f *SupplierFields) Validate(today string) error {
	var fe fieldErrors
	switch {
	case f.Name == "":
		fe.add("name", "is required")
	case utf8.RuneCountInString(f.Name) > maxNameLen:
		fe.add("name", "must be at most %d characters", maxNameLen)
	case strings.IndexFunc(f.Name, unicode.IsControl) >= 0:
		fe.add("name", "must not contain control characters")
	}
	if f.Criticality == "" {
		fe.add("criticality", "is required")
	} else if !oneOf(f.Criticality, Criticalities) {
		fe.add("criticality", "must be one of %s", strings.Join(Criticalities, ", "))
	}
	if !oneOf(f.Status, SupplierStatuses) {
		fe.add("status", "must be one of %s", strings.Join(SupplierStatuses, ", "))
	}
	if f.Country != nil && !ValidCountry(*f.Country) {
		fe.add("country", "must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	if utf8.RuneCountInString(f.Services) > maxServicesLen {
		fe.add("services", "must be at most %d characters", maxServicesLen)
	}
	if f.Website != "" {
		if u, err := url.Parse(f.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(f.Website) > maxURLLen {
			fe.add("website", "must be an http or https URL of at most %d characters", maxURLLen)
		}
	}
	if f.SecurityContact != "" {
		if _, err := mail.ParseAddress(f.SecurityContact); err != nil || len(f.SecurityContact) > maxContactLen || strings.ContainsAny(f.SecurityContact, "<>") {
			fe.add("security_contact", "must be a plain email address such as security@supplier.example")
		}
	}
	if h := f.BreachNotificationHours; h != nil && (*h < 0 || *h > maxNotifyHours) {
		fe.add("breach_notification_hours", "must be between 0 and %d", maxNotifyHours)
	}
	checkDate(&fe, "contract_start", f.ContractStart)
	checkDate(&fe, "contract_end", f.ContractEnd)
	if checkDate(&fe, "dpa_signed_at", f.DPASignedAt) && *f.DPASignedAt > today {
		fe.add("dpa_signed_at", "must not be in the future")
	}
	if f.ContractStart != nil && f.ContractEnd != nil && isDate(*f.ContractStart) && isDate(*f.ContractEnd) && *f.ContractEnd < *f.ContractStart {
		fe.add("contract_end", "must not be before contract_start")
	}
	if utf8.RuneCountInString(f.Notes) > maxNotesLen {
		fe.add("notes", "must be at most %d characters", maxNotesLen)
	}
	if len(f.Certifications) > maxCertificates {
		fe.add("certifications", "must list at most %d certifications", maxCertificates)
	}
	seen := map[[2]string]bool{}
	for i, c := range f.Certifications {
		p := "certifications[" + strconv.Itoa(i) + "]."
		if !keyPattern.MatchString(c.Scheme) {
			fe.add(p+"scheme", "must match ^[a-z0-9_]{1,64}$ (for example iso27001, soc2, cyber_essentials, cyber_essentials_plus)")
		}
		if utf8.RuneCountInString(c.Reference) > maxReferenceLen {
			fe.add(p+"reference", "must be at most %d characters", maxReferenceLen)
		}
		if c.ExpiresAt == "" {
			fe.add(p+"expires_at", "is required")
		} else {
			checkDate(&fe, p+"expires_at", &c.ExpiresAt)
		}
		k := [2]string{c.Scheme, c.Reference}
		if seen[k] {
			fe.add(p+"scheme", "duplicates an earlier certification with the same scheme and reference")
		}
		seen[k] = true
	}
	return fe.err()
}
