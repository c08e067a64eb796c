package scoring

// Statistics are the portfolio-wide figures the portfolio-relative flags compare a
// supplier with: the quartiles of the active, assessed suppliers' postures
// (trails_portfolio) and each category's records placed with suppliers
// (concentration). Flags computes them from the portfolio it is given; a caller that
// keeps figures for part of the register between requests keeps these beside them
// and passes them to FlagsWith, so that a supplier's flags never depend on which
// other suppliers were computed with it. The zero value is "no statistics": no
// supplier trails, nothing is concentrated. JSON-serialisable.
type Statistics struct {
	Outlier    OutlierStatistics        `json:"outlier"`
	Categories map[string]CategoryTotal `json:"categories"`
}

// OutlierStatistics describe the postures of the active, assessed suppliers, in
// hundredths of a point.
type OutlierStatistics struct {
	Applies bool    `json:"applies"` // enough suppliers (FlagConfig.OutlierMinPortfolio) for the rule to apply
	N       int     `json:"n"`
	Q1      float64 `json:"q1"`
	Median  float64 `json:"median"`
	Q3      float64 `json:"q3"`
}

// CategoryTotal is one category's records across the portfolio's direct holdings.
type CategoryTotal struct {
	Name    string `json:"name"`    // the first catalogue name given for it
	Special bool   `json:"special"` // any holding of it is special-category
	Holders int    `json:"holders"` // suppliers holding more than 0 records of it
	Records int64  `json:"records"` // all its records, saturating
	// Suppliers is how many suppliers hold it at all (0 records included): a total
	// kept up to date change by change is dropped when it reaches 0.
	Suppliers int `json:"suppliers"`
}

// PortfolioStatistics computes the statistics of a whole portfolio: the outlier
// population (InOutlierPopulation) and the direct holdings of every supplier.
func PortfolioStatistics(p Portfolio, fc FlagConfig) Statistics {
	var postures []float64
	for _, s := range p.Suppliers {
		s.Posture = finite(s.Posture)
		if InOutlierPopulation(s.Status, s.Posture) {
			postures = append(postures, *s.Posture)
		}
	}
	return Statistics{Outlier: OutlierStatisticsOf(postures, fc), Categories: CategoryTotals(p.Suppliers)}
}

// OutlierStatisticsOf computes the quartiles (in hundredths) of the postures of the
// outlier population, in any order.
func OutlierStatisticsOf(postures []float64, fc FlagConfig) OutlierStatistics {
	hs := make([]float64, 0, len(postures))
	for _, p := range postures {
		hs = append(hs, float64(toH(p)))
	}
	st := newOutlierStats(hs, fc)
	return OutlierStatistics{Applies: st.ok, N: st.n, Q1: st.q1, Median: st.median, Q3: st.q3}
}

// CategoryTotals adds up the direct holdings (Holdings) of the given suppliers per
// category; InCare is not read.
func CategoryTotals(suppliers []SupplierFacts) map[string]CategoryTotal {
	out := map[string]CategoryTotal{}
	for _, s := range suppliers {
		MoveCategoryTotals(out, nil, s.Holdings)
	}
	return out
}

// InOutlierPopulation reports whether a supplier with this status and posture counts
// in the trails_portfolio comparison: active and assessed (a finite posture).
func InOutlierPopulation(status string, posture *float64) bool {
	return status == "active" && finite(posture) != nil
}

// TrailsBelow bounds the postures that can trail the portfolio under these
// statistics: a posture above it never does (it is at most the gap under the median,
// to the rounding of postures to hundredths). Nil when the rule does not apply.
func (st OutlierStatistics) TrailsBelow(fc FlagConfig) *float64 {
	if !st.Applies {
		return nil
	}
	v := (st.Median - float64(toH(max(0, fc.OutlierMinGap))) + 0.5) / 100
	return &v
}

// RelativeFlagCodes are the codes whose rules compare a supplier with the portfolio
// statistics: they change when other suppliers change.
func RelativeFlagCodes() []string { return []string{FlagTrailsPortfolio, FlagConcentration} }

// FlagsWith raises every flag for every supplier of the portfolio, like Flags, but
// compares suppliers with the given statistics instead of the portfolio's own: the
// portfolio may then be part of the register.
func FlagsWith(p Portfolio, st Statistics, cfg Config, fc FlagConfig) map[string]SupplierFlags {
	return flagsOf(newPortfolioViewWith(p, st, cfg, fc))
}

// RelativeFlags raises only the portfolio-relative flags (RelativeFlagCodes) of one
// supplier against the given statistics, in FlagCodes order. The rules read the
// supplier's Status, Posture and data in care (InCare, else Holdings).
func RelativeFlags(s SupplierFacts, st Statistics, today string, cfg Config, fc FlagConfig) []Flag {
	v := newPortfolioViewWith(Portfolio{Today: today}, st, cfg, fc)
	s.Posture = finite(s.Posture)
	out := []Flag{}
	for _, r := range flagRules {
		if r.code != FlagTrailsPortfolio && r.code != FlagConcentration {
			continue
		}
		if f, ok := r.raise(&s, v); ok {
			f.Code = r.code
			out = append(out, f)
		}
	}
	return out
}

// MoveCategoryTotals updates category totals for one supplier whose direct holdings
// changed from before to after (each as CategoryTotals reads Holdings): the totals of
// the categories either holds are adjusted, and a category no supplier holds any
// more is dropped. The result equals CategoryTotals over the portfolio after the
// change as long as no total saturates (a total at the int64 limit is recomputed by
// the caller).
func MoveCategoryTotals(totals map[string]CategoryTotal, before, after []HoldingFacts) {
	bk, br := categoryRecords(before)
	ak, ar := categoryRecords(after)
	for _, k := range bk {
		t := totals[k]
		t.Suppliers--
		if br[k] > 0 {
			t.Holders--
			t.Records -= br[k]
		}
		totals[k] = t
	}
	for _, k := range ak {
		t := totals[k]
		t.Suppliers++
		if ar[k] > 0 {
			t.Holders++
			t.Records = satAdd(t.Records, ar[k])
		}
		totals[k] = t
	}
	for _, h := range after {
		t := totals[h.Category]
		if t.Name == "" {
			t.Name = categoryLabel(h)
		}
		t.Special = t.Special || h.Special
		totals[h.Category] = t
	}
	for _, k := range bk {
		if totals[k].Suppliers <= 0 {
			delete(totals, k)
		}
	}
}
