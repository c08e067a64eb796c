package scoring

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Flag codes (PRODUCT §4): the product's fixed vocabulary of reasons a supplier is a
// weak link. FlagCodes lists them in the order flags are reported.
const (
	// FlagUnassessed: holds personal data and has never been assessed (a blind spot).
	FlagUnassessed = "unassessed"
	// FlagAssessmentOverdue: the latest assessment is older than its inherent tier's reassessment interval.
	FlagAssessmentOverdue = "assessment_overdue"
	// FlagWeakPosture: the posture is below the weak threshold.
	FlagWeakPosture = "weak_posture"
	// FlagTrailsPortfolio: the posture is a clear outlier below the active, assessed portfolio.
	FlagTrailsPortfolio = "trails_portfolio"
	// FlagCriticalControlFailed: the latest assessment failed a critical control.
	FlagCriticalControlFailed = "critical_control_failed"
	// FlagSpecialCategoryExposure: holds special-category or criminal-offence data without a strong posture.
	FlagSpecialCategoryExposure = "special_category_exposure"
	// FlagInheritedWeakness: a sub-processor its data reaches is weak or unassessed.
	FlagInheritedWeakness = "inherited_weakness"
	// FlagConcentration: holds more than the configured share of one category's records.
	FlagConcentration = "concentration"
	// FlagCertificationExpired: a certification on record has expired.
	FlagCertificationExpired = "certification_expired"
	// FlagNoDPA: holds personal data without a signed data processing agreement.
	FlagNoDPA = "no_dpa"
	// FlagUnauthorisedSubprocessor: receives data through a link with no recorded authorisation (GDPR Art. 28(2)).
	FlagUnauthorisedSubprocessor = "unauthorised_subprocessor"
	// FlagOpenIncident: an incident at the supplier is not closed.
	FlagOpenIncident = "open_incident"
	// FlagRetentionExceeded: holds data past its agreed retention date.
	FlagRetentionExceeded = "retention_exceeded"
	// FlagUnsafeguardedTransfer: holds data outside the UK/EEA with no transfer mechanism recorded.
	FlagUnsafeguardedTransfer = "unsafeguarded_transfer"
)

// FlagCodes returns every flag code, in the order flags are reported.
func FlagCodes() []string {
	return []string{
		FlagUnassessed, FlagAssessmentOverdue, FlagWeakPosture, FlagTrailsPortfolio,
		FlagCriticalControlFailed, FlagSpecialCategoryExposure, FlagInheritedWeakness,
		FlagConcentration, FlagCertificationExpired, FlagNoDPA, FlagUnauthorisedSubprocessor, FlagOpenIncident,
		FlagRetentionExceeded, FlagUnsafeguardedTransfer,
	}
}

// The flag severities, worst first.
const (
	// SeverityCritical is the worst severity (rank 4).
	SeverityCritical = "critical"
	// SeverityHigh ranks 3.
	SeverityHigh = "high"
	// SeverityMedium ranks 2.
	SeverityMedium = "medium"
	// SeverityLow ranks 1.
	SeverityLow = "low"
)

// SeverityRank orders severities for ranking: critical 4, high 3, medium 2, low 1, anything else 0.
func SeverityRank(s string) int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// FlagConfig holds the flag engine's own thresholds; the posture thresholds (weak,
// strong), reassessment intervals and critical cap come from Config.
type FlagConfig struct {
	OutlierMinPortfolio int     // 5: trails_portfolio needs at least this many active assessed suppliers
	OutlierMinGap       float64 // 15: at least this many points under the median…
	OutlierIQRMultiple  float64 // 1.5: …and below Q1 − multiple × IQR
	ConcentrationShare  float64 // 0.5: more than this share of a category's records (with ≥ 2 holders)
}

// DefaultFlagConfig returns the documented defaults (docs/methodology.md, "Weak-link flags").
func DefaultFlagConfig() FlagConfig {
	return FlagConfig{
		OutlierMinPortfolio: 5,
		OutlierMinGap:       15,
		OutlierIQRMultiple:  1.5,
		ConcentrationShare:  0.5,
	}
}

// Validate reports every setting that would make the flag rules incoherent.
func (fc FlagConfig) Validate() error {
	var errs []error
	if fc.OutlierMinPortfolio < 1 || fc.OutlierMinPortfolio > 1_000_000 {
		errs = append(errs, fmt.Errorf("OutlierMinPortfolio must be between 1 and 1000000, not %d", fc.OutlierMinPortfolio))
	}
	in := func(name string, v, lo, hi float64) {
		if math.IsNaN(v) || v < lo || v > hi {
			errs = append(errs, fmt.Errorf("%s must be between %g and %g, not %g", name, lo, hi, v))
		}
	}
	in("OutlierMinGap", fc.OutlierMinGap, 0, 100)
	in("OutlierIQRMultiple", fc.OutlierIQRMultiple, 0, 100)
	in("ConcentrationShare", fc.ConcentrationShare, 0, 1)
	if len(errs) > 0 {
		return fmt.Errorf("flag config: %w", errors.Join(errs...))
	}
	return nil
}

// Flag is one reason a supplier is a weak link.
type Flag struct {
	Code     string // one of the Flag… constants
	Severity string // critical, high, medium or low
	Message  string // plain English, naming the evidence
}

// HoldingFacts is what the flag rules need to know about one data holding.
type HoldingFacts struct {
	Category          string   // catalogue key, e.g. political_opinions
	CategoryName      string   // catalogue name, used in messages ("" → the key)
	Special           bool     // special category (GDPR Art. 9) or criminal-offence data (Art. 10)
	Records           int64    // approximate number of records (negative reads as 0); received: the records that arrive
	Received          bool     // in the supplier's care through sub-processor links, not held by it directly
	RetentionUntil    string   // YYYY-MM-DD or ""
	OutsideUKEEA      []string // country codes outside the UK/EEA
	TransferMechanism string   // "" when none recorded
}

// IncidentFacts is one incident at a supplier that is not closed.
type IncidentFacts struct {
	ID      string
	Summary string        // as recorded
	AwareAt time.Time     // when the organisation became aware of it (UTC)
	OpenFor time.Duration // from AwareAt to the moment the flags are computed; negative reads as 0
}

// Downstream is one sub-processor a supplier's data reaches, at any depth.
type Downstream struct {
	SupplierID string
	Name       string
	Posture    *float64 // nil = never assessed
	Path       []string // names, from the supplier to this one
}

// UnauthorisedLink is a link into a supplier, with no authorisation date recorded
// (GDPR Art. 28(2)), along which data actually reaches it.
type UnauthorisedLink struct {
	From       string         // the name of the supplier passing the data on
	Categories []HoldingFacts // the categories that arrive along it (Category, CategoryName, Special)
}

// SupplierFacts is everything the flag rules need to know about one supplier.
type SupplierFacts struct {
	ID, Name       string
	Status         string            // onboarding, active, offboarding or exited
	Criticality    string            // low, medium, high or critical
	Tier           string            // the residual-risk tier
	InherentTier   string            // the tier thresholds applied to inherent risk: sets the reassessment cadence
	Posture        *float64          // after date adjustments (PostureAt); nil = never assessed
	LastAssessed   string            // YYYY-MM-DD of the latest submitted or approved assessment; "" never
	FailedCritical []string          // keys of the critical questions the latest assessment failed
	QuestionTexts  map[string]string // question key → its text in the questionnaire version answered, for messages
	Certifications []Certification   // every certification on record
	DPASigned      bool              // a data processing agreement (GDPR Art. 28) is signed
	Holdings       []HoldingFacts    // what it holds directly
	// InCare is its data in care: its own holdings and each origin holding it receives
	// through links (Received, Records capped on the most generous path). Nil reads as
	// Holdings: a supplier that receives nothing.
	InCare        []HoldingFacts
	Unauthorised  []UnauthorisedLink // links it receives data through with no authorisation date recorded
	OpenIncidents []IncidentFacts    // incidents at it that are not closed, oldest first
	Downstream    []Downstream       // every sub-processor its data reaches (any depth), with one path each
}

// Portfolio is the register the flags are raised against: live suppliers and today's date.
type Portfolio struct {
	Suppliers []SupplierFacts // live suppliers (not archived); IDs are unique
	Today     string          // YYYY-MM-DD, UTC
}

// SupplierFlags is the flag engine's verdict on one supplier.
type SupplierFlags struct {
	SupplierID string
	Flags      []Flag // at most one per code, in FlagCodes order; empty (not nil) when none
	// EffectivePosture is the lowest posture along the paths its data travels (see
	// EffectivePosture); nil only when the supplier is unassessed and has no downstream.
	EffectivePosture *float64
}

// Flags raises every flag for every supplier of the portfolio. The answer has one entry
// per supplier ID, flagged or not; it is deterministic: the same portfolio gives the same
// flags, at most one per code, in FlagCodes order, with the same messages. A code that
// applies several times (two categories concentrated, say) is one flag whose message
// lists every instance and whose severity is the worst of them.
func Flags(p Portfolio, cfg Config, fc FlagConfig) map[string]SupplierFlags {
	return flagsOf(newPortfolioView(p, cfg, fc))
}

// flagsOf raises every flag of every supplier in the view.
func flagsOf(v *portfolioView) map[string]SupplierFlags {
	out := make(map[string]SupplierFlags, len(v.suppliers))
	for i := range v.suppliers {
		s := &v.suppliers[i]
		flags := []Flag{}
		for _, r := range flagRules {
			if f, ok := r.raise(s, v); ok {
				f.Code = r.code
				flags = append(flags, f)
			}
		}
		out[s.ID] = SupplierFlags{SupplierID: s.ID, Flags: flags, EffectivePosture: EffectivePosture(*s, v.cfg)}
	}
	return out
}

// EffectivePosture is the lowest posture along the paths the supplier's data travels:
// the minimum of its own posture and every downstream sub-processor's, where a
// never-assessed one (own or downstream) counts as UnassessedPosture (0 by default:
// unknown is weak). It is nil only when the supplier is unassessed and has no
// downstream; a downstream entry naming the supplier itself (a cycle back) adds nothing.
func EffectivePosture(s SupplierFacts, cfg Config) *float64 {
	own := finite(s.Posture)
	unknown := clampF(cfg.UnassessedPosture, 0, 100)
	var lowest *float64
	consider := func(p *float64) {
		x := unknown
		if p != nil {
			x = *p
		}
		if lowest == nil || x < *lowest {
			lowest = &x
		}
	}
	if own != nil {
		consider(own)
	}
	others := false
	for _, d := range s.Downstream {
		if d.SupplierID != "" && d.SupplierID == s.ID {
			continue
		}
		others = true
		consider(finite(d.Posture))
	}
	if own == nil && others {
		consider(nil)
	}
	return lowest
}

// finite returns p, or nil when it points at a value that is not a finite number: a
// posture nobody can read counts as never assessed.
func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return p
}
