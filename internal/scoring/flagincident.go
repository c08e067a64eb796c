package scoring

import (
	"fmt"
	"strings"
	"time"
)

// raiseOpenIncident: an incident at the supplier is not closed. High; critical when
// special-category data is in the supplier's care (specialInCare). The message names
// each open incident (its summary and id), when the organisation became aware of it
// and how long it has been open, rounded down. The flag changes neither posture nor
// residual risk: it puts the supplier on the weak-links list and counts in the
// severity tie-break.
func raiseOpenIncident(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	if len(s.OpenIncidents) == 0 {
		return Flag{}, false
	}
	parts := make([]string, len(s.OpenIncidents))
	for i, in := range s.OpenIncidents {
		summary := strings.Join(strings.Fields(in.Summary), " ")
		if summary == "" {
			summary = "(no summary)"
		}
		parts[i] = fmt.Sprintf("%q (%s), aware since %s, open for %s", summary, in.ID,
			in.AwareAt.UTC().Format("2006-01-02 15:04 UTC"), openForText(in.OpenFor))
	}
	noun := "an incident is"
	if len(parts) > 1 {
		noun = fmt.Sprintf("%d incidents are", len(parts))
	}
	f := Flag{Severity: SeverityHigh, Message: fmt.Sprintf("%s not closed: %s", noun, strings.Join(parts, "; "))}
	if sp := specialInCare(s); len(sp) > 0 {
		f.Severity = SeverityCritical
		f.Message += fmt.Sprintf("; special-category data is in its care (%s)", strings.Join(sp, ", "))
	}
	return f, true
}

// specialInCare names the special-category or criminal-offence data in the supplier's
// care (PRODUCT.md §2): its own holdings' and what reaches it through links.
func specialInCare(s *SupplierFacts) []string {
	return specialLabels(s.care())
}

// openForText says how long an incident has been open, rounded down, never
// overstating it: "less than an hour", "N hours" under a day, else "D days and H
// hours", H left out when 0 ("2 days"). A negative duration reads as 0.
func openForText(d time.Duration) string {
	hours := int(max(d, 0) / time.Hour)
	switch {
	case hours < 1:
		return "less than an hour"
	case hours < 24:
		return plural(hours, "hour")
	}
	out := plural(hours/24, "day")
	if h := hours % 24; h > 0 {
		out += " and " + plural(h, "hour")
	}
	return out
}
