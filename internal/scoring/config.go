// Package scoring owns weaklink's scoring rules: questionnaire answers to an
// assessment score, the date-dependent adjustments that turn it into a posture, data
// holdings to inherent risk, inherent risk and posture to residual risk and tier, and
// reassessment dates.
//
// Everything here is a pure function of its arguments: no I/O, no clock (today's date
// is an argument), no globals beyond constants. Every published figure is rounded to
// hundredths, and every breakdown's parts add up exactly, to the hundredth, to the
// figure they explain. docs/methodology.md describes the rules for the people who read
// the scores.
package scoring

import (
	"errors"
	"fmt"
	"math"
)

// MethodologyVersion names the scoring rules; stored with every submitted assessment.
const MethodologyVersion = "2026.2"

// The tiers, worst first.
const (
	// TierNameCritical is the tier of residual risk at or above TierCritical.
	TierNameCritical = "critical"
	// TierNameHigh is the tier of residual risk at or above TierHigh.
	TierNameHigh = "high"
	// TierNameMedium is the tier of residual risk at or above TierMedium.
	TierNameMedium = "medium"
	// TierNameLow is the tier of the rest.
	TierNameLow = "low"
)

// TierNames lists the tier names, worst first.
func TierNames() []string {
	return []string{TierNameCritical, TierNameHigh, TierNameMedium, TierNameLow}
}

// Config holds every threshold; DefaultConfig returns the documented defaults.
type Config struct {
	CriticalCap        float64        // 40: posture ceiling when a critical control fails (answer scoring < 0.5)
	ExpiredCertPenalty float64        // 10 per expired certification…
	MaxCertPenalty     float64        // …at most 20 in all
	NoDPAPenalty       float64        // 15 when personal data is held without a signed DPA
	WeakBelow          float64        // 50
	StrongFrom         float64        // 75
	UnassessedPosture  float64        // 0: residual risk treats "never assessed" as this (unknown is weak, never good)
	PostureMitigation  float64        // 0.8: share of inherent risk a perfect posture removes
	TierCritical       float64        // 60: residual at or above which the tier is critical
	TierHigh           float64        // 40: residual at or above which the tier is high
	TierMedium         float64        // 20: residual at or above which the tier is medium
	ReassessMonths     map[string]int // tier → months: critical 6, high 12, medium 24, low 36
}

// DefaultConfig returns the documented defaults (docs/methodology.md, "Defaults").
func DefaultConfig() Config {
	return Config{
		CriticalCap:        40,
		ExpiredCertPenalty: 10,
		MaxCertPenalty:     20,
		NoDPAPenalty:       15,
		WeakBelow:          50,
		StrongFrom:         75,
		UnassessedPosture:  0,
		PostureMitigation:  0.8,
		TierCritical:       60,
		TierHigh:           40,
		TierMedium:         20,
		ReassessMonths: map[string]int{
			TierNameCritical: 6,
			TierNameHigh:     12,
			TierNameMedium:   24,
			TierNameLow:      36,
		},
	}
}

// Validate reports every setting that would make the rules incoherent (a score outside
// 0–100, a penalty that adds points, tiers out of order, a tier without an interval).
func (c Config) Validate() error {
	var errs []error
	in := func(name string, v, lo, hi float64) {
		if math.IsNaN(v) || v < lo || v > hi {
			errs = append(errs, fmt.Errorf("%s must be between %g and %g, not %g", name, lo, hi, v))
		}
	}
	in("CriticalCap", c.CriticalCap, 0, 100)
	in("ExpiredCertPenalty", c.ExpiredCertPenalty, 0, 100)
	in("MaxCertPenalty", c.MaxCertPenalty, 0, 100)
	in("NoDPAPenalty", c.NoDPAPenalty, 0, 100)
	in("WeakBelow", c.WeakBelow, 0, 100)
	in("StrongFrom", c.StrongFrom, 0, 100)
	in("UnassessedPosture", c.UnassessedPosture, 0, 100)
	in("PostureMitigation", c.PostureMitigation, 0, 1)
	in("TierCritical", c.TierCritical, 0, 100)
	in("TierHigh", c.TierHigh, 0, 100)
	in("TierMedium", c.TierMedium, 0, 100)
	if c.WeakBelow > c.StrongFrom {
		errs = append(errs, fmt.Errorf("WeakBelow (%g) must not exceed StrongFrom (%g)", c.WeakBelow, c.StrongFrom))
	}
	if !(c.TierCritical >= c.TierHigh && c.TierHigh >= c.TierMedium) {
		errs = append(errs, fmt.Errorf("tier thresholds must satisfy critical (%g) >= high (%g) >= medium (%g)",
			c.TierCritical, c.TierHigh, c.TierMedium))
	}
	for _, t := range TierNames() {
		if m := c.ReassessMonths[t]; m <= 0 || m > 1200 {
			errs = append(errs, fmt.Errorf("ReassessMonths[%s] must be between 1 and 1200 months, not %d", t, m))
		}
	}
	for t := range c.ReassessMonths {
		if !isTier(t) {
			errs = append(errs, fmt.Errorf("ReassessMonths names an unknown tier %q", t))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("scoring config: %w", errors.Join(errs...))
	}
	return nil
}

// isTier reports whether t is one of the tier names.
func isTier(t string) bool {
	switch t {
	case TierNameCritical, TierNameHigh, TierNameMedium, TierNameLow:
		return true
	}
	return false
}
