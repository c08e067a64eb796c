package scoring

import (
	"fmt"
	"sort"
	"strings"
)

// flagRule raises one flag code; raise returns the flag without its Code (the engine
// sets it from the table, so a rule cannot raise the wrong code).
type flagRule struct {
	code  string
	raise func(s *SupplierFacts, v *portfolioView) (Flag, bool)
}

// flagRules are the rules in FlagCodes order; the order is the order flags are reported.
var flagRules = []flagRule{
	{FlagUnassessed, raiseUnassessed},
	{FlagAssessmentOverdue, raiseAssessmentOverdue},
	{FlagWeakPosture, raiseWeakPosture},
	{FlagTrailsPortfolio, raiseTrailsPortfolio},
	{FlagCriticalControlFailed, raiseCriticalControlFailed},
	{FlagSpecialCategoryExposure, raiseSpecialCategoryExposure},
	{FlagInheritedWeakness, raiseInheritedWeakness},
	{FlagConcentration, raiseConcentration},
	{FlagCertificationExpired, raiseCertificationExpired},
	{FlagNoDPA, raiseNoDPA},
	{FlagUnauthorisedSubprocessor, raiseUnauthorisedSubprocessor},
	{FlagOpenIncident, raiseOpenIncident},
	{FlagRetentionExceeded, raiseRetentionExceeded},
	{FlagUnsafeguardedTransfer, raiseUnsafeguardedTransfer},
}

// raiseUnassessed: holds or receives personal data (anything in its care) and has no
// posture. Critical when some of it is special-category data.
func raiseUnassessed(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	care := s.care()
	if s.Posture != nil || len(care) == 0 {
		return Flag{}, false
	}
	f := Flag{Severity: SeverityHigh, Message: fmt.Sprintf(
		"%s personal data (%s) but has never been assessed: its security is a blind spot", careVerb(care), holdingsSummary(care))}
	if sp := specialLabels(care); len(sp) > 0 {
		f.Severity = SeverityCritical
		f.Message += fmt.Sprintf(", and it includes special-category data (%s)", strings.Join(sp, ", "))
	}
	return f, true
}

// raiseAssessmentOverdue: the latest assessment is older than the interval of the
// supplier's inherent tier (a supplier trusted with much is reassessed often, however
// well it scored). High in the critical inherent tier, medium otherwise.
func raiseAssessmentOverdue(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	tier := s.InherentTier
	if !ReassessmentOverdue(s.LastAssessed, tier, v.today, v.cfg) {
		return Flag{}, false
	}
	months := reassessMonths(tier, v.cfg)
	interval := fmt.Sprintf("every %s in the %s inherent tier", plural(months, "month"), tier)
	if m, ok := v.cfg.ReassessMonths[tier]; !ok || m <= 0 {
		interval = fmt.Sprintf("every %s, the shortest interval, as inherent tier %q has none of its own", plural(months, "month"), tier)
	}
	f := Flag{Severity: SeverityMedium, Message: fmt.Sprintf("the latest assessment (%s) was due for reassessment on %s (%s)",
		s.LastAssessed, NextReassessment(s.LastAssessed, tier, v.cfg), interval)}
	if tier == TierNameCritical {
		f.Severity = SeverityHigh
	}
	return f, true
}

// raiseWeakPosture: an assessed supplier whose posture is below WeakBelow.
func raiseWeakPosture(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	if s.Posture == nil || !Weak(s.Posture, v.cfg) {
		return Flag{}, false
	}
	return Flag{Severity: SeverityHigh, Message: fmt.Sprintf("posture %s is below the weak threshold of %s",
		fmtPosture(*s.Posture), fmtNum(v.cfg.WeakBelow))}, true
}

// raiseTrailsPortfolio: an active, assessed supplier that is a clear outlier below the
// active, assessed portfolio (see outlierStats.trails).
func raiseTrailsPortfolio(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	if !inOutlierPopulation(*s) {
		return Flag{}, false
	}
	st := v.outlier
	h := float64(toH(*s.Posture))
	if !st.trails(h) {
		return Flag{}, false
	}
	return Flag{Severity: SeverityHigh, Message: fmt.Sprintf(
		"posture %s trails the %d active, assessed suppliers: %s points under their median of %s, and below their lower quartile of %s by more than %s × the interquartile range of %s",
		fmtPosture(*s.Posture), st.n, fmtHF(st.median-h), fmtHF(st.median), fmtHF(st.q1), fmtNum(st.iqrMultiple), fmtHF(st.q3-st.q1))}, true
}

// raiseCriticalControlFailed: the latest assessment failed at least one critical
// control. The message names each as QuestionLabel does, in question order.
func raiseCriticalControlFailed(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	if len(s.FailedCritical) == 0 {
		return Flag{}, false
	}
	what := "a critical control"
	if n := len(s.FailedCritical); n > 1 {
		what = fmt.Sprintf("%d critical controls", n)
	}
	labels := make([]string, len(s.FailedCritical))
	for i, key := range s.FailedCritical {
		labels[i] = QuestionLabel(s.QuestionTexts[key], key)
	}
	return Flag{Severity: SeverityCritical, Message: fmt.Sprintf(
		"the latest assessment failed %s, so its score is capped at %s: %s",
		what, fmtNum(v.cfg.CriticalCap), strings.Join(labels, "; "))}, true
}

// raiseSpecialCategoryExposure: special-category or criminal-offence data in its care
// (held or received) without a strong posture. Critical when the posture is weak or
// unknown, high otherwise.
func raiseSpecialCategoryExposure(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	var special []HoldingFacts
	for _, h := range s.care() {
		if h.Special {
			special = append(special, h)
		}
	}
	if len(special) == 0 || Strong(s.Posture, v.cfg) {
		return Flag{}, false
	}
	verb, cats := careVerb(special), strings.Join(specialLabels(special), ", ")
	switch {
	case s.Posture == nil:
		return Flag{Severity: SeverityCritical, Message: fmt.Sprintf(
			"%s special-category data (%s) and has never been assessed", verb, cats)}, true
	case Weak(s.Posture, v.cfg):
		return Flag{Severity: SeverityCritical, Message: fmt.Sprintf(
			"%s special-category data (%s) with a weak posture of %s (below %s)", verb, cats, fmtPosture(*s.Posture), fmtNum(v.cfg.WeakBelow))}, true
	}
	return Flag{Severity: SeverityHigh, Message: fmt.Sprintf(
		"%s special-category data (%s) with a posture of %s, below the strong threshold of %s", verb, cats, fmtPosture(*s.Posture), fmtNum(v.cfg.StrongFrom))}, true
}

// raiseInheritedWeakness: a sub-processor its data reaches, at any depth, is weak or
// unassessed. The message names the weakest (never assessed counts as UnassessedPosture,
// and before an assessed one on a tie) with its path, then the others.
func raiseInheritedWeakness(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	unknown := clampF(v.cfg.UnassessedPosture, 0, 100)
	value := func(d Downstream) float64 {
		if p := finite(d.Posture); p != nil {
			return *p
		}
		return unknown
	}
	var weak []Downstream
	seen := map[string]bool{}
	for _, d := range s.Downstream {
		if d.SupplierID != "" && (d.SupplierID == s.ID || seen[d.SupplierID]) {
			continue
		}
		if p := finite(d.Posture); p == nil || Weak(p, v.cfg) {
			seen[d.SupplierID] = true
			weak = append(weak, d)
		}
	}
	if len(weak) == 0 {
		return Flag{}, false
	}
	sort.SliceStable(weak, func(i, j int) bool {
		a, b := weak[i], weak[j]
		if va, vb := value(a), value(b); va != vb {
			return va < vb
		}
		if na, nb := finite(a.Posture) == nil, finite(b.Posture) == nil; na != nb {
			return na
		}
		if len(a.Path) != len(b.Path) {
			return len(a.Path) < len(b.Path)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.SupplierID < b.SupplierID
	})
	w := weak[0]
	state := "never assessed"
	if p := finite(w.Posture); p != nil {
		state = fmt.Sprintf("posture %s, below %s", fmtPosture(*p), fmtNum(v.cfg.WeakBelow))
	}
	path := strings.Join(w.Path, " → ")
	if len(w.Path) == 0 {
		path = s.Name + " → " + w.Name
	}
	msg := fmt.Sprintf("its data reaches the sub-processor %s (%s) via %s", w.Name, state, path)
	if rest := weak[1:]; len(rest) > 0 {
		names := make([]string, len(rest))
		for i, d := range rest {
			names[i] = d.Name
		}
		msg += fmt.Sprintf("; %s down its paths: %s", plural(len(rest), "more weak or unassessed sub-processor"), strings.Join(names, ", "))
	}
	return Flag{Severity: SeverityHigh, Message: msg}, true
}

// raiseConcentration: has in its care (own and received records) more than
// ConcentrationShare of all the records placed with the portfolio's suppliers in a
// category — the sum of the live direct holdings of it — that at least two suppliers
// hold directly. High when the category is special, medium otherwise.
func raiseConcentration(s *SupplierFacts, v *portfolioView) (Flag, bool) {
	care := s.care()
	keys, recs := categoryRecords(care)
	f := Flag{Severity: SeverityMedium}
	var parts []string
	var concentrated []HoldingFacts
	for _, k := range keys {
		t := v.categories[k]
		if t.Holders < 2 || recs[k] <= 0 || t.Records <= 0 {
			continue
		}
		share := float64(recs[k]) / float64(t.Records)
		if !(share > v.fc.ConcentrationShare) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %% of the %s %s records placed with suppliers (%s records; %d suppliers hold it)",
			fmtShare(share, v.fc.ConcentrationShare), FormatCount(t.Records), t.Name, FormatCount(recs[k]), t.Holders))
		if t.Special {
			f.Severity = SeverityHigh
		}
		for _, h := range care {
			if h.Category == k {
				concentrated = append(concentrated, h)
			}
		}
	}
	if len(parts) == 0 {
		return Flag{}, false
	}
	verb := "has in its care "
	if careVerb(concentrated) == "holds" {
		verb = "holds "
	}
	f.Message = verb + strings.Join(parts, "; and ")
	return f, true
}
