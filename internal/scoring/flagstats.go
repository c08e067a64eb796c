package scoring

import (
	"math"
	"sort"
)

// portfolioView is what the flag rules read: the suppliers (postures that are not finite
// numbers read as never assessed), the configuration, and the portfolio-wide figures:
// the outlier statistics and each category's record totals (Statistics).
type portfolioView struct {
	cfg        Config
	fc         FlagConfig
	today      string
	suppliers  []SupplierFacts
	outlier    outlierStats
	categories map[string]CategoryTotal
}

// outlierStats describes the postures of the active, assessed suppliers, in hundredths.
type outlierStats struct {
	ok                bool // enough suppliers (OutlierMinPortfolio) for the rule to apply
	n                 int
	q1, median, q3    float64
	gapH, iqrMultiple float64 // the thresholds, OutlierMinGap in hundredths
}

// newPortfolioView prepares the portfolio-wide figures from the portfolio itself.
func newPortfolioView(p Portfolio, cfg Config, fc FlagConfig) *portfolioView {
	return newPortfolioViewWith(p, PortfolioStatistics(p, fc), cfg, fc)
}

// newPortfolioViewWith prepares a view that compares suppliers with given statistics.
func newPortfolioViewWith(p Portfolio, st Statistics, cfg Config, fc FlagConfig) *portfolioView {
	v := &portfolioView{cfg: cfg, fc: fc, today: p.Today, categories: st.Categories}
	if v.categories == nil {
		v.categories = map[string]CategoryTotal{}
	}
	v.suppliers = make([]SupplierFacts, len(p.Suppliers))
	for i, s := range p.Suppliers {
		s.Posture = finite(s.Posture)
		v.suppliers[i] = s
	}
	o := st.Outlier
	v.outlier = outlierStats{ok: o.Applies, n: o.N, q1: o.Q1, median: o.Median, q3: o.Q3,
		gapH: float64(toH(max(0, fc.OutlierMinGap))), iqrMultiple: max(0, fc.OutlierIQRMultiple)}
	return v
}

// inOutlierPopulation reports whether s counts in the trails_portfolio comparison:
// active and assessed.
func inOutlierPopulation(s SupplierFacts) bool {
	return InOutlierPopulation(s.Status, s.Posture)
}

// newOutlierStats computes the quartiles of the postures (in hundredths). Postures are
// kept in integer hundredths so that the quartiles, the gap and the IQR are exact
// quarter-hundredths and a posture exactly on a threshold is judged exactly.
func newOutlierStats(postures []float64, fc FlagConfig) outlierStats {
	n := len(postures)
	st := outlierStats{n: n, gapH: float64(toH(math.Max(0, fc.OutlierMinGap))), iqrMultiple: math.Max(0, fc.OutlierIQRMultiple)}
	if n == 0 || n < max(1, fc.OutlierMinPortfolio) {
		return st
	}
	sorted := append([]float64(nil), postures...)
	sort.Float64s(sorted)
	st.ok = true
	st.q1 = quantile(sorted, 0.25)
	st.median = quantile(sorted, 0.5)
	st.q3 = quantile(sorted, 0.75)
	return st
}

// trails reports whether a posture (in hundredths) is a clear outlier below the
// portfolio: at least the gap under the median, and below Q1 − multiple × IQR. With an
// IQR of 0 the second test is "below Q1", so a portfolio where everyone scores alike
// flags nobody, and one supplier far behind an otherwise identical field is flagged.
func (st outlierStats) trails(h float64) bool {
	if !st.ok {
		return false
	}
	iqr := st.q3 - st.q1
	return h <= st.median-st.gapH && h < st.q1-st.iqrMultiple*iqr
}

// quantile returns the p-quantile of sorted (ascending, non-empty) values by linear
// interpolation between closest ranks: position h = (n − 1) × p, and the value
// interpolated between the values at floor(h) and floor(h) + 1 (the method of
// spreadsheets' QUARTILE.INC and R's default, type 7).
func quantile(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// categoryRecords adds up a supplier's records per category (negative counts read as
// 0), returning the categories in order of first appearance.
func categoryRecords(hs []HoldingFacts) ([]string, map[string]int64) {
	var keys []string
	recs := map[string]int64{}
	for _, h := range hs {
		if _, ok := recs[h.Category]; !ok {
			keys = append(keys, h.Category)
			recs[h.Category] = 0
		}
		if h.Records > 0 {
			recs[h.Category] = satAdd(recs[h.Category], h.Records)
		}
	}
	return keys, recs
}
