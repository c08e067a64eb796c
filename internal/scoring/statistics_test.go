package scoring

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// Flags computed against statistics kept elsewhere must equal the flags of the
// whole portfolio, for the whole portfolio or any part of it, and RelativeFlags must
// give exactly the portfolio-relative ones; the statistics survive a JSON round trip.
func TestFlagsWithStatisticsOfTheWholePortfolio(t *testing.T) {
	r := newRand(7)
	cfg, fc := DefaultConfig(), DefaultFlagConfig()
	fc.OutlierMinPortfolio = 3
	relative := RelativeFlagCodes()
	seen := map[string]int{}
	for run := 0; run < 200; run++ {
		p := randPortfolio(r, 1+r.IntN(30))
		want := Flags(p, cfg, fc)
		st := PortfolioStatistics(p, fc)
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var back Statistics
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		part := Portfolio{Today: p.Today, Suppliers: p.Suppliers[:1+r.IntN(len(p.Suppliers))]}
		got := FlagsWith(part, back, cfg, fc)
		for _, s := range part.Suppliers {
			if !reflect.DeepEqual(got[s.ID], want[s.ID]) {
				t.Fatalf("run %d: %s: FlagsWith %+v, Flags %+v", run, s.ID, got[s.ID], want[s.ID])
			}
			var rel []Flag
			for _, f := range want[s.ID].Flags {
				if slices.Contains(relative, f.Code) {
					seen[f.Code]++
					rel = append(rel, f)
				}
			}
			if gotRel := RelativeFlags(s, back, p.Today, cfg, fc); len(gotRel) != len(rel) || (len(rel) > 0 && !reflect.DeepEqual(gotRel, rel)) {
				t.Fatalf("run %d: %s: RelativeFlags %+v, want %+v", run, s.ID, gotRel, rel)
			}
			if th := back.Outlier.TrailsBelow(fc); hasCode(want[s.ID].Flags, FlagTrailsPortfolio) && (th == nil || *s.Posture > *th) {
				t.Fatalf("run %d: %s trails at %v, above the bound %v", run, s.ID, *s.Posture, th)
			}
		}
	}
	if seen[FlagTrailsPortfolio] == 0 || seen[FlagConcentration] == 0 {
		t.Fatalf("the random portfolios raised too few relative flags to test: %v", seen)
	}
}

func hasCode(fs []Flag, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Moving one supplier's holdings at a time keeps the category totals equal to a
// computation over the whole portfolio, categories no one holds any more included.
func TestMoveCategoryTotalsMatchesARecount(t *testing.T) {
	r := newRand(11)
	for run := 0; run < 300; run++ {
		p := randPortfolio(r, 1+r.IntN(12))
		totals := CategoryTotals(p.Suppliers)
		for step := 0; step < 5; step++ {
			i := r.IntN(len(p.Suppliers))
			before := p.Suppliers[i].Holdings
			other := randPortfolio(r, 1).Suppliers[0].Holdings
			if r.IntN(4) == 0 {
				other = nil
			}
			p.Suppliers[i].Holdings = other
			MoveCategoryTotals(totals, before, other)
			if want := CategoryTotals(p.Suppliers); !reflect.DeepEqual(totals, want) {
				t.Fatalf("run %d step %d: moved totals %+v, recount %+v", run, step, totals, want)
			}
		}
	}
}
