package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// sc returns a pointer to an option score.
func sc(x float64) *float64 { return &x }

// yesNo offers yes 1, partial 0.5, no 0 and, when na, a not-applicable option.
func yesNo(na bool) []Option {
	o := []Option{{"yes", sc(1)}, {"partial", sc(0.5)}, {"no", sc(0)}}
	if na {
		o = append(o, Option{"n/a", nil})
	}
	return o
}

// hundredths returns x in integer hundredths and whether x is exactly on a hundredth.
func hundredths(x float64) (int64, bool) {
	h := math.Round(x * 100)
	return int64(h), h/100 == x
}

// checkSum fails unless every part is on a hundredth and the parts sum exactly to total.
func checkSum(t testing.TB, what string, total float64, parts []float64) {
	t.Helper()
	th, ok := hundredths(total)
	if !ok {
		t.Fatalf("%s: total %v is not rounded to hundredths", what, total)
	}
	var sum int64
	for _, p := range parts {
		h, ok := hundredths(p)
		if !ok {
			t.Fatalf("%s: part %v is not rounded to hundredths", what, p)
		}
		sum += h
	}
	if sum != th {
		t.Fatalf("%s: parts %v sum to %s, not %v", what, parts, fmtH(sum), total)
	}
}

// partPoints lists the Points of a breakdown.
func partPoints(ps []Part) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = p.Points
	}
	return out
}

// answerPoints lists the Points of an assessment's answers.
func answerPoints(as []AnswerScore) []float64 {
	out := make([]float64, len(as))
	for i, a := range as {
		out[i] = a.Points
	}
	return out
}

// checkAssessment asserts the invariants every assessment score must satisfy.
func checkAssessment(t testing.TB, qs []Question, a AssessmentScore, cfg Config) {
	t.Helper()
	if a.Score < 0 || a.Score > 100 || a.Raw < 0 || a.Raw > 100 {
		t.Fatalf("score %v / raw %v out of range", a.Score, a.Raw)
	}
	if a.Score > a.Raw {
		t.Fatalf("score %v above raw %v", a.Score, a.Raw)
	}
	checkSum(t, "answers", a.Raw, answerPoints(a.Answers))
	checkSum(t, "breakdown", a.Score, partPoints(a.Breakdown))
	if len(a.FailedCritical) > 0 && a.Score > math.Max(0, cfg.CriticalCap) {
		t.Fatalf("failed critical %v but score %v above cap %v", a.FailedCritical, a.Score, cfg.CriticalCap)
	}
	if len(a.FailedCritical) == 0 && a.Score != a.Raw {
		t.Fatalf("no failed critical control but score %v differs from raw %v", a.Score, a.Raw)
	}
	if len(a.Answers) != len(qs) {
		t.Fatalf("%d answer lines for %d questions", len(a.Answers), len(qs))
	}
	var failed []string
	for i, l := range a.Answers {
		if l.Question != qs[i].Key {
			t.Fatalf("answer line %d is %q, want %q", i, l.Question, qs[i].Key)
		}
		if l.OptionScore == nil && l.Points != 0 {
			t.Fatalf("unscorable answer %q has %v points", l.Question, l.Points)
		}
		if l.Points < 0 {
			t.Fatalf("answer %q has negative points %v", l.Question, l.Points)
		}
		if l.Critical && l.OptionScore != nil && *l.OptionScore < 0.5 {
			failed = append(failed, l.Question)
		}
	}
	if fmt.Sprint(failed) != fmt.Sprint(a.FailedCritical) {
		t.Fatalf("FailedCritical %v, want %v", a.FailedCritical, failed)
	}
	for _, d := range a.Domains {
		if d.Score != nil && (*d.Score < 0 || *d.Score > 100) {
			t.Fatalf("domain %q score %v out of range", d.Domain, *d.Score)
		}
	}
	if a.Methodology != MethodologyVersion {
		t.Fatalf("methodology %q", a.Methodology)
	}
}

// randQuestionnaire builds n questions with random weights, flags and option scores.
func randQuestionnaire(r *rand.Rand, n int) []Question {
	domains := []string{"access_control", "backup_recovery", "vulnerability_management", "data_protection", "incident_response"}
	qs := make([]Question, n)
	for i := range qs {
		k := 1 + r.IntN(5)
		opts := make([]Option, k)
		for j := range opts {
			opts[j] = Option{Value: fmt.Sprintf("o%d", j)}
			if r.IntN(6) > 0 {
				opts[j].Score = sc(float64(r.IntN(101)) / 100)
			}
		}
		w := float64(1+r.IntN(5)) * []float64{1, 0.5, 0.1, 1.7, 3}[r.IntN(5)]
		qs[i] = Question{
			Key:      fmt.Sprintf("q%02d", i),
			Domain:   domains[r.IntN(len(domains))],
			Weight:   w,
			Critical: r.IntN(5) == 0,
			Optional: r.IntN(4) == 0,
			Options:  opts,
		}
	}
	return qs
}

// randAnswers answers most questions with a random option; some stay unanswered.
func randAnswers(r *rand.Rand, qs []Question) map[string]string {
	a := map[string]string{}
	for _, q := range qs {
		if r.IntN(8) == 0 {
			continue
		}
		a[q.Key] = q.Options[r.IntN(len(q.Options))].Value
	}
	return a
}

// randHoldings builds up to n holdings drawn from a small catalogue.
func randHoldings(r *rand.Rand, n int) []Holding {
	cats := []Holding{
		{"contact_details", 2, false, 0}, {"financial", 4, false, 0}, {"employment", 3, false, 0},
		{"health", 5, true, 0}, {"political_opinions", 5, true, 0}, {"biometric", 5, true, 0},
		{"criminal_offences", 5, true, 0}, {"genetic", 5, true, 0}, {"online_identifiers", 2, false, 0},
	}
	hs := make([]Holding, r.IntN(n+1))
	for i := range hs {
		hs[i] = cats[r.IntN(len(cats))]
		hs[i].Records = []int64{0, 1, 9, 120, 5_000, 600_000, 12_000_000, 1 << 40}[r.IntN(8)] + r.Int64N(1000)
	}
	return hs
}
