package config

import (
	"fmt"
	"strconv"
	"strings"
)

// check reports scoring settings that each parse but are out of range or contradict
// one another, naming the variable. Variables listed in malformed already failed to
// parse and are not checked again. The ranges are those the methodology accepts
// (scoring.Config.Validate, scoring.FlagConfig.Validate); the coherence rules are:
//
//   - tier thresholds strictly descending (critical > high > medium): equal thresholds
//     would make a tier unreachable;
//   - reassessment months non-decreasing from critical to low: a riskier tier is never
//     reassessed less often than a safer one, but two tiers may share a cadence (a
//     policy such as "every supplier yearly, critical ones every six months" is
//     6,12,12,12);
//   - WEAKLINK_SCORING_WEAK_BELOW below WEAKLINK_SCORING_STRONG_FROM, so no posture is
//     both weak and strong;
//   - a concentration share strictly between 0 and 1: at 0 every holder of a category
//     would be flagged, at 1 nobody could be.
func (s Scoring) check(malformed map[string]bool) []error {
	var errs []error
	in := func(name string, v, lo, hi float64) {
		if !malformed[name] && !(v >= lo && v <= hi) { // also refuses NaN
			errs = append(errs, fmt.Errorf("%s must be between %g and %g, not %g", name, lo, hi, v))
		}
	}
	in("WEAKLINK_SCORING_CRITICAL_CAP", s.CriticalCap, 0, 100)
	in("WEAKLINK_SCORING_EXPIRED_CERT_PENALTY", s.ExpiredCertPenalty, 0, 50) // applies at most twice
	in("WEAKLINK_SCORING_NO_DPA_PENALTY", s.NoDPAPenalty, 0, 100)
	in("WEAKLINK_SCORING_WEAK_BELOW", s.WeakBelow, 0, 100)
	in("WEAKLINK_SCORING_STRONG_FROM", s.StrongFrom, 0, 100)
	in("WEAKLINK_FLAGS_OUTLIER_MIN_GAP", s.OutlierMinGap, 0, 100)
	in("WEAKLINK_FLAGS_OUTLIER_IQR_MULTIPLE", s.OutlierIQRMultiple, 0, 100)
	if name := "WEAKLINK_FLAGS_OUTLIER_MIN_PORTFOLIO"; !malformed[name] && (s.OutlierMinPortfolio < 1 || s.OutlierMinPortfolio > 1_000_000) {
		errs = append(errs, fmt.Errorf("%s must be between 1 and 1000000, not %d", name, s.OutlierMinPortfolio))
	}
	if name := "WEAKLINK_FLAGS_CONCENTRATION_SHARE"; !malformed[name] && !(s.ConcentrationShare > 0 && s.ConcentrationShare < 1) {
		errs = append(errs, fmt.Errorf("%s must be more than 0 and less than 1, not %g", name, s.ConcentrationShare))
	}
	if !malformed["WEAKLINK_SCORING_WEAK_BELOW"] && !malformed["WEAKLINK_SCORING_STRONG_FROM"] && !(s.WeakBelow < s.StrongFrom) {
		errs = append(errs, fmt.Errorf("WEAKLINK_SCORING_WEAK_BELOW (%g) must be below WEAKLINK_SCORING_STRONG_FROM (%g)", s.WeakBelow, s.StrongFrom))
	}
	if name := "WEAKLINK_SCORING_TIERS"; !malformed[name] {
		t := s.Tiers
		for _, v := range t {
			if !(v >= 0 && v <= 100) {
				errs = append(errs, fmt.Errorf("%s must be three numbers between 0 and 100, not %s", name, floats(t[:])))
				break
			}
		}
		if !(t[0] > t[1] && t[1] > t[2]) {
			errs = append(errs, fmt.Errorf("%s must be strictly descending (critical > high > medium), not %s", name, floats(t[:])))
		}
	}
	if name := "WEAKLINK_SCORING_REASSESS_MONTHS"; !malformed[name] {
		m := s.ReassessMonths
		for _, v := range m {
			if v > 1200 {
				errs = append(errs, fmt.Errorf("%s must be at most 1200 months each, not %d", name, v))
				break
			}
		}
		if !(m[0] <= m[1] && m[1] <= m[2] && m[2] <= m[3]) {
			errs = append(errs, fmt.Errorf("%s must not decrease from critical to low (a riskier tier is reassessed at least as often), not %d,%d,%d,%d",
				name, m[0], m[1], m[2], m[3]))
		}
	}
	return errs
}

func floats(v []float64) string {
	s := make([]string, len(v))
	for i, f := range v {
		s[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}
