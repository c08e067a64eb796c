package scoring

import (
	"fmt"
	"math"
	"strings"
)

// The inherent-risk formula's constants. They are part of the methodology (changing
// them changes MethodologyVersion), not settings.
const (
	sensitivityPoints  = 8          // per level of the highest sensitivity held (1–5)
	maxSensitivity     = 5          // the catalogue's highest level
	volumeMax          = 25         // points at volumeFullRecords records or more
	volumeFullDecades  = 7          // log10 of the record count worth volumeMax: 10 million
	specialPoints      = 5          // per distinct special-category or criminal-offence category
	specialMax         = 15         // at most three categories' worth
	criticalityUnknown = "critical" // an unrecognised criticality is treated as the worst
)

// criticalityPoints are the criticality part's points by business criticality.
func criticalityPoints(c string) (int64, bool) {
	switch c {
	case "low":
		return 5, true
	case "medium":
		return 10, true
	case "high":
		return 15, true
	case "critical":
		return 20, true
	}
	return 20, false
}

// Holding is one category of personal data a supplier holds.
type Holding struct {
	Category    string
	Sensitivity int   // 1 lowest – 5 highest
	Special     bool  // Special = Art. 9 or Art. 10
	Records     int64 // approximate number of records
}

// Risk is a risk figure with the parts that explain it.
type Risk struct {
	Value     float64 // 0–100
	Breakdown []Part  // sums exactly to Value
}

// Inherent: how much harm a breach would do, 0–100, sum of four parts:
//
//	sensitivity = 8 × the highest sensitivity held (0–40);
//	volume      = 25 × log10(1 + total records) / 7, at most 25 (10 million records → 25);
//	special     = 5 × number of distinct special/criminal categories held, at most 15;
//	criticality = low 5, medium 10, high 15, critical 20.
//
// No holdings → only the criticality part. Sensitivities are read as 0–5 and negative
// record counts as 0; an unrecognised criticality counts as critical (unknown is never
// good). Records are added up across holdings, so a person whose contact details and
// health data are both held counts twice: a deliberate, simple proxy for volume.
func Inherent(holdings []Holding, criticality string, cfg Config) Risk {
	critPts, known := criticalityPoints(criticality)
	critDetail := "business criticality " + criticality
	if !known {
		critDetail = fmt.Sprintf("business criticality %q not recognised: treated as %s", criticality, criticalityUnknown)
	}
	critPart := Part{Factor: FactorCriticality, Detail: critDetail}
	if len(holdings) == 0 {
		critPart.Points = float64(critPts)
		return Risk{Value: float64(critPts), Breakdown: []Part{critPart}}
	}

	highest, highestAt := 0, -1
	var records int64
	var special []string
	seen := map[string]bool{}
	for i, h := range holdings {
		s := max(0, min(maxSensitivity, h.Sensitivity))
		if highestAt < 0 || s > highest {
			highest, highestAt = s, i
		}
		if h.Records > 0 {
			records = satAdd(records, h.Records)
		}
		if h.Special && !seen[h.Category] {
			seen[h.Category] = true
			special = append(special, h.Category)
		}
	}

	sens := float64(sensitivityPoints * highest)
	vol := math.Min(volumeMax, volumeMax*math.Log10(1+float64(records))/volumeFullDecades)
	spec := math.Min(specialMax, float64(specialPoints*len(special)))
	crit := float64(critPts)
	// Summed in this fixed order so that more data can never round to a lower figure.
	totalH := clampH(toH(sens+vol+spec+crit), 0, 10000)
	pts := allocate(totalH, []float64{sens * 100, vol * 100, spec * 100, crit * 100})

	specDetail := "no special-category or criminal-offence data"
	if len(special) > 0 {
		noun := "categories"
		if len(special) == 1 {
			noun = "category"
		}
		specDetail = fmt.Sprintf("%d special-category or criminal-offence %s (%s): %d × %d, at most %d",
			len(special), noun, strings.Join(special, ", "), specialPoints, len(special), specialMax)
	}
	critPart.Points = fromH(pts[3])
	return Risk{
		Value: fromH(totalH),
		Breakdown: []Part{
			{Factor: FactorSensitivity, Detail: fmt.Sprintf("highest sensitivity held is %d (%s): %d × %d", highest, holdings[highestAt].Category, sensitivityPoints, highest), Points: fromH(pts[0])},
			{Factor: FactorVolume, Detail: fmt.Sprintf("%s records in all: %d × log10(1 + records) / %d, at most %d", FormatCount(records), volumeMax, volumeFullDecades, volumeMax), Points: fromH(pts[1])},
			{Factor: FactorSpecial, Detail: specDetail, Points: fromH(pts[2])},
			critPart,
		},
	}
}

// Residual = inherent × (1 − PostureMitigation × posture/100), posture nil → UnassessedPosture.
// Breakdown: the inherent part, and a negative "posture" part.
//
// Inputs are read within range (inherent and posture 0–100, mitigation 0–1), so the
// residual always lies between 0 and the inherent risk.
func Residual(inherent float64, posture *float64, cfg Config) Risk {
	inh := clampF(inherent, 0, 100)
	m := clampF(cfg.PostureMitigation, 0, 1)
	p := cfg.UnassessedPosture
	if posture != nil {
		p = *posture
	}
	p = clampF(p, 0, 100)
	inhH := toH(inh)
	resH := clampH(toH(inh*(1-m*p/100)), 0, inhH)

	share := m * p // percent of the inherent risk removed
	detail := fmt.Sprintf("posture %s removes %s %% of inherent risk (%s × %s %%)", fmtH(toH(p)), fmtH(toH(share)), fmtNum(m), fmtH(toH(p)))
	if posture == nil {
		detail = fmt.Sprintf("never assessed: treated as posture %s, removing %s %% of inherent risk", fmtH(toH(p)), fmtH(toH(share)))
	}
	return Risk{
		Value: fromH(resH),
		Breakdown: []Part{
			{Factor: FactorInherent, Detail: "inherent risk", Points: fromH(inhH)},
			{Factor: FactorPosture, Detail: detail, Points: fromH(resH - inhH)},
		},
	}
}

// Tier from residual with the thresholds: "critical" (>= TierCritical), "high", "medium", "low".
// A residual that is not a number is "critical": unknown is never good.
func Tier(residual float64, cfg Config) string {
	switch {
	case math.IsNaN(residual) || residual >= cfg.TierCritical:
		return TierNameCritical
	case residual >= cfg.TierHigh:
		return TierNameHigh
	case residual >= cfg.TierMedium:
		return TierNameMedium
	}
	return TierNameLow
}

// satAdd adds two non-negative counts, saturating instead of overflowing.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
