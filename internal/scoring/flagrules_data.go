package scoring

import (
	"fmt"
	"strconv"
	"strings"
)

// The rules about certificates, contracts and where and how long data is kept, and the
// small formatting helpers every rule's message shares.

// raiseCertificationExpired: a certification on record expired before today (the same
// rule as the posture's deduction: an unreadable date counts as expired).
func raiseCertificationExpired(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	expired := ExpiredCertifications(s.Certifications, v.today)
	if len(expired) == 0 {
		return Flag{}, false
	}
	parts := make([]string, len(expired))
	for i, c := range expired {
		scheme := c.Scheme
		if strings.TrimSpace(scheme) == "" {
			scheme = "an unnamed certification"
		}
		if _, ok := parseDate(c.ExpiresAt); ok {
			parts[i] = fmt.Sprintf("%s on %s", scheme, c.ExpiresAt)
		} else {
			parts[i] = fmt.Sprintf("%s (expiry date %q cannot be read)", scheme, c.ExpiresAt)
		}
	}
	noun := "certification"
	if len(parts) > 1 {
		noun = "certifications"
	}
	msg := fmt.Sprintf("%s expired: %s", noun, strings.Join(parts, "; "))
	if _, ok := parseDate(v.today); !ok {
		msg += fmt.Sprintf(" (today's date %q cannot be read)", v.today)
	}
	return Flag{Severity: SeverityMedium, Message: msg}, true
}

// raiseNoDPA: holds personal data without a signed data processing agreement.
func raiseNoDPA(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	if len(s.Holdings) == 0 || s.DPASigned {
		return Flag{}, false
	}
	return Flag{Severity: SeverityHigh, Message: fmt.Sprintf(
		"holds personal data (%s) without a signed data processing agreement (GDPR Art. 28)", holdingsSummary(s.Holdings))}, true
}

// raiseRetentionExceeded: a holding whose retention date is before today. As with
// certificates, a date that cannot be read (on the holding or as today) cannot show the
// data is within its retention period, so it counts as exceeded.
func raiseRetentionExceeded(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	today, okToday := parseDate(v.today)
	var parts []string
	seen := map[string]bool{}
	for _, h := range s.Holdings {
		if h.RetentionUntil == "" {
			continue
		}
		d, ok := parseDate(h.RetentionUntil)
		if ok && okToday && !d.Before(today) {
			continue
		}
		part := fmt.Sprintf("%s (%s)", categoryLabel(h), h.RetentionUntil)
		if !ok {
			part = fmt.Sprintf("%s (retention date %q cannot be read)", categoryLabel(h), h.RetentionUntil)
		}
		if !seen[part] {
			seen[part] = true
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return Flag{}, false
	}
	return Flag{Severity: SeverityMedium, Message: "holds data past its agreed retention date: " + strings.Join(parts, "; ")}, true
}

// raiseUnsafeguardedTransfer: data held in a country outside the UK/EEA with no
// transfer mechanism (IDTA, SCCs, adequacy, …) recorded.
func raiseUnsafeguardedTransfer(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	var parts []string
	for _, h := range s.Holdings {
		if strings.TrimSpace(h.TransferMechanism) != "" {
			continue
		}
		countries := distinct(h.OutsideUKEEA)
		if len(countries) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s in %s", categoryLabel(h), strings.Join(countries, ", ")))
	}
	if len(parts) == 0 {
		return Flag{}, false
	}
	return Flag{Severity: SeverityHigh, Message: "holds data outside the UK/EEA with no transfer mechanism recorded: " + strings.Join(parts, "; ")}, true
}

// categoryLabel names a holding's category in a message: its catalogue name, else its key.
func categoryLabel(h HoldingFacts) string {
	if n := strings.TrimSpace(h.CategoryName); n != "" {
		return n
	}
	if k := strings.TrimSpace(h.Category); k != "" {
		return k
	}
	return "an unnamed category"
}

// holdingsSummary names the categories held (in order, once each) and the records in
// all: "contact details, political opinions; 1,200,000 records".
func holdingsSummary(hs []HoldingFacts) string {
	var labels []string
	var records int64
	for _, h := range hs {
		labels = append(labels, categoryLabel(h))
		if h.Records > 0 {
			records = satAdd(records, h.Records)
		}
	}
	return fmt.Sprintf("%s; %s", strings.Join(distinct(labels), ", "), pluralCount(records, "record"))
}

// specialLabels names the special-category holdings, in order, once each.
func specialLabels(hs []HoldingFacts) []string {
	var out []string
	for _, h := range hs {
		if h.Special {
			out = append(out, categoryLabel(h))
		}
	}
	return distinct(out)
}

// distinct returns the non-blank strings of xs, trimmed, once each, in order of first appearance.
func distinct(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// plural writes "1 month", "6 months".
func plural(n int, noun string) string {
	return pluralCount(int64(n), noun)
}

// pluralCount writes a count with thousands separators and its noun: "1 record", "1,200 records".
func pluralCount(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return FormatCount(n) + " " + noun + "s"
}

// fmtPosture writes a posture as published: two decimals.
func fmtPosture(p float64) string { return fmtHF(float64(toH(p))) }

// fmtHF writes a figure held in (possibly fractional) hundredths with two decimals.
func fmtHF(h float64) string { return strconv.FormatFloat(h/100, 'f', 2, 64) }

// fmtShare writes a share as a percentage with one decimal, adding decimals only when
// rounding would otherwise print a share at or under the threshold it exceeds
// (50.04 % of records must not read "50.0 %" beside "more than 50 %").
func fmtShare(share, threshold float64) string {
	var s string
	for d := 1; d <= 6; d++ {
		s = strconv.FormatFloat(share*100, 'f', d, 64)
		if x, err := strconv.ParseFloat(s, 64); err == nil && x > threshold*100 {
			break
		}
	}
	return s
}
