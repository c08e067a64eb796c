package scoring

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Property tests: seeded, so every run checks the same cases and a failure reproduces.

// propertyRuns is how many random cases each property checks.
const propertyRuns = 3000

// newRand returns a deterministic generator for the named property.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func TestPropertyBetterAnswerNeverLowersScore(t *testing.T) {
	r := newRand(1)
	cfg := DefaultConfig()
	for run := 0; run < propertyRuns; run++ {
		qs := randQuestionnaire(r, 1+r.IntN(40))
		answers := randAnswers(r, qs)
		before, err := ScoreAssessment(qs, answers, cfg)
		if err != nil {
			t.Fatal(err)
		}
		i := r.IntN(len(qs))
		q := qs[i]
		// The current answer's score; changing a not-applicable or optional-unanswered
		// answer changes the denominator and is not "a better answer".
		cur := before.Answers[i].OptionScore
		if cur == nil {
			continue
		}
		var better []Option
		for _, o := range q.Options {
			if o.Score != nil && *o.Score >= *cur {
				better = append(better, o)
			}
		}
		if len(better) == 0 {
			continue
		}
		changed := map[string]string{}
		for k, v := range answers {
			changed[k] = v
		}
		changed[q.Key] = better[r.IntN(len(better))].Value
		after, err := ScoreAssessment(qs, changed, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if after.Score < before.Score || after.Raw < before.Raw {
			t.Fatalf("run %d: answering %q %q instead of %q lowered the score from %v (raw %v) to %v (raw %v)",
				run, q.Key, changed[q.Key], answers[q.Key], before.Score, before.Raw, after.Score, after.Raw)
		}
	}
}

func TestPropertyFailedCriticalAlwaysCaps(t *testing.T) {
	r := newRand(2)
	for run := 0; run < propertyRuns; run++ {
		cfg := DefaultConfig()
		cfg.CriticalCap = float64(r.IntN(10001)) / 100
		qs := randQuestionnaire(r, 1+r.IntN(40))
		answers := randAnswers(r, qs)
		i := r.IntN(len(qs))
		qs[i].Critical = true
		qs[i].Options = append(qs[i].Options, Option{Value: "fail", Score: sc(float64(r.IntN(50)) / 100)})
		answers[qs[i].Key] = "fail"
		got, err := ScoreAssessment(qs, answers, cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkAssessment(t, qs, got, cfg)
		if got.Score > cfg.CriticalCap {
			t.Fatalf("run %d: score %v above the cap %v with %q failed", run, got.Score, cfg.CriticalCap, qs[i].Key)
		}
	}
}

func TestPropertyMoreDataNeverLowersInherent(t *testing.T) {
	r := newRand(3)
	cfg := DefaultConfig()
	crits := []string{"low", "medium", "high", "critical"}
	for run := 0; run < propertyRuns; run++ {
		hs := randHoldings(r, 8)
		ci := r.IntN(len(crits))
		before := Inherent(hs, crits[ci], cfg)
		more := append([]Holding(nil), hs...)
		crit := crits[ci]
		var what string
		switch k := r.IntN(5); {
		case k == 0 && len(more) > 0:
			j := r.IntN(len(more))
			more[j].Sensitivity = min(5, more[j].Sensitivity+1+r.IntN(3))
			what = "more sensitive data"
		case k == 1 && len(more) > 0:
			more[r.IntN(len(more))].Records += 1 + r.Int64N(1_000_000)
			what = "more records"
		case k == 2:
			more = append(more, randHoldings(r, 3)...)
			what = "more holdings"
		case k == 3 && len(more) > 0:
			j := r.IntN(len(more))
			more[j].Special = true
			what = "special category"
		default:
			crit = crits[min(len(crits)-1, ci+1)]
			what = "higher criticality"
		}
		after := Inherent(more, crit, cfg)
		if after.Value < before.Value {
			t.Fatalf("run %d: %s lowered inherent risk from %v to %v", run, what, before.Value, after.Value)
		}
		for _, x := range []Risk{before, after} {
			if x.Value < 0 || x.Value > 100 {
				t.Fatalf("inherent %v out of range", x.Value)
			}
			checkSum(t, "inherent", x.Value, partPoints(x.Breakdown))
		}
	}
}

func TestPropertyBetterPostureNeverRaisesResidual(t *testing.T) {
	r := newRand(4)
	cfg := DefaultConfig()
	for run := 0; run < propertyRuns; run++ {
		inh := float64(r.IntN(10001)) / 100
		p1 := float64(r.IntN(10001)) / 100
		p2 := p1 + float64(r.IntN(10001-int(p1*100+0.5)))/100
		worse, better, never := Residual(inh, &p1, cfg), Residual(inh, &p2, cfg), Residual(inh, nil, cfg)
		if better.Value > worse.Value {
			t.Fatalf("run %d: posture %v → %v raised residual %v → %v (inherent %v)", run, p1, p2, worse.Value, better.Value, inh)
		}
		if worse.Value > never.Value {
			t.Fatalf("run %d: assessed posture %v has higher residual %v than never assessed %v", run, p1, worse.Value, never.Value)
		}
		for _, x := range []Risk{worse, better, never} {
			if x.Value < 0 || x.Value > inh {
				t.Fatalf("run %d: residual %v outside 0–%v", run, x.Value, inh)
			}
			checkSum(t, "residual", x.Value, partPoints(x.Breakdown))
		}
	}
}

// TestPropertyPipelineRangesAndSums runs the whole chain — answers, posture, inherent,
// residual, tier — on random inputs and random valid configurations.
func TestPropertyPipelineRangesAndSums(t *testing.T) {
	r := newRand(5)
	schemes := []string{"iso27001", "soc2", "cyber_essentials", "cyber_essentials_plus"}
	for run := 0; run < propertyRuns; run++ {
		cfg := randConfig(r)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("random config invalid: %v", err)
		}
		qs := randQuestionnaire(r, r.IntN(41))
		a, err := ScoreAssessment(qs, randAnswers(r, qs), cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkAssessment(t, qs, a, cfg)

		in := PostureInput{DPASigned: r.IntN(2) == 0, HoldsPersonalData: r.IntN(2) == 0, Today: "2026-11-02"}
		if r.IntN(6) > 0 {
			in.Assessment = &a
		}
		for range r.IntN(5) {
			in.Certifications = append(in.Certifications, Certification{
				Scheme: schemes[r.IntN(len(schemes))], ExpiresAt: fmt.Sprintf("20%02d-%02d-%02d", 24+r.IntN(5), 1+r.IntN(12), 1+r.IntN(28))})
		}
		p := PostureAt(in, cfg)
		if (p.Value == nil) != (in.Assessment == nil) {
			t.Fatalf("posture %v for assessment %v", p.Value, in.Assessment)
		}
		if p.Value != nil {
			if *p.Value < 0 || *p.Value > 100 || *p.Value > a.Score {
				t.Fatalf("posture %v outside 0–%v", *p.Value, a.Score)
			}
			checkSum(t, "posture", *p.Value, partPoints(p.Breakdown))
		}

		inh := Inherent(randHoldings(r, 6), []string{"low", "medium", "high", "critical"}[r.IntN(4)], cfg)
		if inh.Value < 0 || inh.Value > 100 {
			t.Fatalf("inherent %v out of range", inh.Value)
		}
		checkSum(t, "inherent", inh.Value, partPoints(inh.Breakdown))

		res := Residual(inh.Value, p.Value, cfg)
		if res.Value < 0 || res.Value > inh.Value {
			t.Fatalf("residual %v outside 0–%v", res.Value, inh.Value)
		}
		checkSum(t, "residual", res.Value, partPoints(res.Breakdown))
		if res.Breakdown[0].Points != inh.Value {
			t.Fatalf("residual's inherent part %v, inherent %v", res.Breakdown[0].Points, inh.Value)
		}
		tier := Tier(res.Value, cfg)
		if NextReassessment("2026-09-15", tier, cfg) == "" {
			t.Fatalf("no reassessment date for tier %q", tier)
		}
	}
}

// randConfig returns a valid configuration with random thresholds.
func randConfig(r *rand.Rand) Config {
	c := DefaultConfig()
	h := func(lo, hi int) float64 { return float64(lo*100+r.IntN((hi-lo)*100+1)) / 100 }
	c.CriticalCap = h(0, 100)
	c.ExpiredCertPenalty = h(0, 30)
	c.MaxCertPenalty = h(0, 60)
	c.NoDPAPenalty = h(0, 40)
	c.WeakBelow = h(0, 60)
	c.StrongFrom = c.WeakBelow + h(0, 40)
	c.UnassessedPosture = h(0, 30)
	c.PostureMitigation = float64(r.IntN(1001)) / 1000
	c.TierMedium = h(0, 30)
	c.TierHigh = c.TierMedium + h(0, 30)
	c.TierCritical = c.TierHigh + h(0, 40)
	return c
}
