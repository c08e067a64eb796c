package scoring

import (
	"fmt"
	"strings"
)

// The rules that read a supplier's data in care (PRODUCT.md §2): what it holds and
// what reaches it through sub-processor links.

// care returns the supplier's data in care: InCare, or its own holdings when the
// caller gave no InCare (it receives nothing).
func (s *SupplierFacts) care() []HoldingFacts {
	if s.InCare != nil {
		return s.InCare
	}
	return s.Holdings
}

// careVerb says how data is in a supplier's care: "holds" (own holdings only),
// "receives" (received only) or "holds and receives".
func careVerb(hs []HoldingFacts) string {
	own, received := false, false
	for _, h := range hs {
		if h.Received {
			received = true
		} else {
			own = true
		}
	}
	switch {
	case own && received:
		return "holds and receives"
	case received:
		return "receives"
	}
	return "holds"
}

// raiseUnauthorisedSubprocessor: data reaches the supplier through a link whose
// authorisation (GDPR Art. 28(2)) is not recorded. High; critical when
// special-category or criminal-offence data arrives along such a link. The message
// names each link's supplier and the categories that arrive along it.
func raiseUnauthorisedSubprocessor(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	f := Flag{Severity: SeverityHigh}
	var parts []string
	for _, l := range s.Unauthorised {
		if len(l.Categories) == 0 {
			continue
		}
		labels := make([]string, 0, len(l.Categories))
		for _, c := range l.Categories {
			labels = append(labels, categoryLabel(c))
			if c.Special {
				f.Severity = SeverityCritical
			}
		}
		from := strings.TrimSpace(l.From)
		if from == "" {
			from = "an unnamed supplier"
		}
		parts = append(parts, fmt.Sprintf("%s from %s", strings.Join(distinct(labels), ", "), from))
	}
	if len(parts) == 0 {
		return Flag{}, false
	}
	f.Message = fmt.Sprintf("receives data through %s with no recorded authorisation (GDPR Art. 28(2)): %s",
		map[bool]string{true: "a link", false: "links"}[len(parts) == 1], strings.Join(parts, "; "))
	return f, true
}
