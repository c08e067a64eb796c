package scoring

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// dateLayout is how dates travel through the product: YYYY-MM-DD, UTC.
const dateLayout = "2006-01-02"

// Certification is a security certification on record for a supplier.
type Certification struct {
	Scheme    string // iso27001, soc2, cyber_essentials, …
	ExpiresAt string // YYYY-MM-DD
}

// PostureInput is what a posture depends on besides the configuration.
type PostureInput struct {
	Assessment        *AssessmentScore // nil when never assessed
	Certifications    []Certification
	DPASigned         bool
	HoldsPersonalData bool
	Today             string // YYYY-MM-DD, UTC
}

// Posture is a supplier's security posture on a given day.
type Posture struct {
	Value     *float64 // 0–100; nil = never assessed
	Breakdown []Part   // sums exactly to *Value
}

// PostureAt applies the date-dependent adjustments to the latest assessment's score: each
// certification whose expiry is before Today costs ExpiredCertPenalty (at most MaxCertPenalty),
// no DPA while holding personal data costs NoDPAPenalty; clamped to 0–100 (the clamp is its own Part).
//
// The breakdown starts with the assessment's own parts (answers and, when it applied,
// the critical control cap). A never-assessed supplier has no posture (nil Value, no
// parts): penalties do not conjure a number out of nothing.
func PostureAt(in PostureInput, cfg Config) Posture {
	if in.Assessment == nil {
		return Posture{}
	}
	a := in.Assessment
	baseH := toH(a.Score)
	var parts []Part
	var sumH int64
	for _, p := range a.Breakdown {
		sumH += toH(p.Points)
	}
	if len(a.Breakdown) > 0 && sumH == baseH {
		for _, p := range a.Breakdown {
			parts = append(parts, Part{Factor: p.Factor, Detail: p.Detail, Points: fromH(toH(p.Points))})
		}
	} else {
		parts = []Part{{Factor: FactorAssessment, Detail: "score of the latest assessment", Points: fromH(baseH)}}
	}
	total := baseH

	if expired := ExpiredCertifications(in.Certifications, in.Today); len(expired) > 0 {
		// Penalties beyond 100 points change nothing (the clamp catches them) and
		// bounding them keeps the arithmetic far from overflow.
		per := clampH(toH(cfg.ExpiredCertPenalty), 0, 10000)
		limit := clampH(toH(cfg.MaxCertPenalty), 0, 10000)
		pen := min(limit, per*int64(min(len(expired), 10000)))
		names := make([]string, len(expired))
		for i, c := range expired {
			names[i] = fmt.Sprintf("%s expired %s", c.Scheme, c.ExpiresAt)
		}
		parts = append(parts, Part{
			Factor: FactorExpiredCerts,
			Detail: fmt.Sprintf("%s: %d × %s, at most %s", strings.Join(names, "; "), len(expired), fmtH(per), fmtH(limit)),
			Points: fromH(-pen),
		})
		total -= pen
	}
	if in.HoldsPersonalData && !in.DPASigned {
		pen := clampH(toH(cfg.NoDPAPenalty), 0, 10000)
		parts = append(parts, Part{
			Factor: FactorNoDPA,
			Detail: "holds personal data without a signed data processing agreement (GDPR Art. 28)",
			Points: fromH(-pen),
		})
		total -= pen
	}
	if c := clampH(total, 0, 10000); c != total {
		detail := "posture cannot exceed 100"
		if c > total {
			detail = "posture cannot fall below 0"
		}
		parts = append(parts, Part{Factor: FactorClamp, Detail: detail, Points: fromH(c - total)})
		total = c
	}
	v := fromH(total)
	return Posture{Value: &v, Breakdown: parts}
}

// ExpiredCertifications returns, in the order given, the certifications whose expiry
// date is before today (a certificate is valid on its expiry date). A date that cannot
// be read, on the certificate or as today, counts as expired: a certificate that cannot
// be shown to be current earns no credit.
func ExpiredCertifications(certs []Certification, today string) []Certification {
	t, okT := parseDate(today)
	var out []Certification
	for _, c := range certs {
		e, ok := parseDate(c.ExpiresAt)
		if !ok || !okT || e.Before(t) {
			out = append(out, c)
		}
	}
	return out
}

// Weak reports whether a posture is weak: below WeakBelow, or unknown (nil).
func Weak(p *float64, cfg Config) bool {
	return p == nil || math.IsNaN(*p) || *p < cfg.WeakBelow
}

// Strong reports whether a posture is strong: at least StrongFrom (never when unknown).
func Strong(p *float64, cfg Config) bool {
	return p != nil && *p >= cfg.StrongFrom
}

// parseDate reads a YYYY-MM-DD date as midnight UTC.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}
