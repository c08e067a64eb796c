package scoring

import (
	"reflect"
	"testing"
)

func TestPostureAt(t *testing.T) {
	cfg := DefaultConfig()
	assessed := func(score float64) *AssessmentScore {
		return &AssessmentScore{Score: score, Raw: score, Breakdown: []Part{{Factor: FactorAnswers, Points: score}}}
	}
	capped := &AssessmentScore{Score: 40, Raw: 90, FailedCritical: []string{"mfa_admin"},
		Breakdown: []Part{{Factor: FactorAnswers, Points: 90}, {Factor: FactorCriticalCap, Points: -50}}}
	cert := func(scheme, exp string) Certification { return Certification{Scheme: scheme, ExpiresAt: exp} }
	cases := []struct {
		name    string
		in      PostureInput
		want    *float64
		factors []string
		points  []float64
	}{
		{name: "never assessed has no posture", in: PostureInput{HoldsPersonalData: true, Today: "2026-11-02"}},
		{name: "no adjustments", in: PostureInput{Assessment: assessed(80), DPASigned: true, HoldsPersonalData: true, Today: "2026-11-02"},
			want: sc(80), factors: []string{FactorAnswers}, points: []float64{80}},
		{name: "certificate valid on its expiry day", in: PostureInput{Assessment: assessed(80), Certifications: []Certification{cert("iso27001", "2026-11-02")}, Today: "2026-11-02"},
			want: sc(80), factors: []string{FactorAnswers}, points: []float64{80}},
		{name: "certificate expired yesterday", in: PostureInput{Assessment: assessed(80), Certifications: []Certification{cert("iso27001", "2026-11-01")}, Today: "2026-11-02"},
			want: sc(70), factors: []string{FactorAnswers, FactorExpiredCerts}, points: []float64{80, -10}},
		{name: "expired certifications cost at most 20", in: PostureInput{Assessment: assessed(80), Today: "2026-11-02",
			Certifications: []Certification{cert("iso27001", "2025-01-01"), cert("soc2", "2026-01-01"), cert("cyber_essentials", "2026-10-01"), cert("cyber_essentials_plus", "2027-10-01")}},
			want: sc(60), factors: []string{FactorAnswers, FactorExpiredCerts}, points: []float64{80, -20}},
		{name: "unreadable expiry counts as expired", in: PostureInput{Assessment: assessed(80), Certifications: []Certification{cert("soc2", "someday")}, Today: "2026-11-02"},
			want: sc(70), factors: []string{FactorAnswers, FactorExpiredCerts}, points: []float64{80, -10}},
		{name: "no DPA while holding personal data", in: PostureInput{Assessment: assessed(80), HoldsPersonalData: true, Today: "2026-11-02"},
			want: sc(65), factors: []string{FactorAnswers, FactorNoDPA}, points: []float64{80, -15}},
		{name: "no DPA without personal data costs nothing", in: PostureInput{Assessment: assessed(80), Today: "2026-11-02"},
			want: sc(80), factors: []string{FactorAnswers}, points: []float64{80}},
		{name: "clamped at 0", in: PostureInput{Assessment: assessed(12.5), HoldsPersonalData: true, Today: "2026-11-02",
			Certifications: []Certification{cert("iso27001", "2025-01-01")}},
			want: sc(0), factors: []string{FactorAnswers, FactorExpiredCerts, FactorNoDPA, FactorClamp}, points: []float64{12.5, -10, -15, 12.5}},
		{name: "capped assessment keeps its parts", in: PostureInput{Assessment: capped, HoldsPersonalData: true, Today: "2026-11-02"},
			want: sc(25), factors: []string{FactorAnswers, FactorCriticalCap, FactorNoDPA}, points: []float64{90, -50, -15}},
		{name: "assessment without a usable breakdown", in: PostureInput{Assessment: &AssessmentScore{Score: 55.55}, DPASigned: true, Today: "2026-11-02"},
			want: sc(55.55), factors: []string{FactorAssessment}, points: []float64{55.55}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := PostureAt(c.in, cfg)
			if !reflect.DeepEqual(got.Value, c.want) {
				t.Fatalf("posture %v, want %v", deref(got.Value), deref(c.want))
			}
			var factors []string
			for _, p := range got.Breakdown {
				factors = append(factors, p.Factor)
			}
			if !reflect.DeepEqual(factors, c.factors) || !reflect.DeepEqual(partPoints(got.Breakdown), orNil(c.points)) {
				t.Errorf("breakdown %+v, want factors %v points %v", got.Breakdown, c.factors, c.points)
			}
			if got.Value != nil {
				checkSum(t, "posture", *got.Value, partPoints(got.Breakdown))
			}
		})
	}
}

func TestWeakStrong(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name         string
		p            *float64
		weak, strong bool
	}{
		{"never assessed is weak, not strong", nil, true, false},
		{"zero", sc(0), true, false},
		{"just below weak", sc(49.99), true, false},
		{"at weak threshold", sc(50), false, false},
		{"just below strong", sc(74.99), false, false},
		{"at strong threshold", sc(75), false, true},
		{"perfect", sc(100), false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Weak(c.p, cfg); got != c.weak {
				t.Errorf("Weak = %v", got)
			}
			if got := Strong(c.p, cfg); got != c.strong {
				t.Errorf("Strong = %v", got)
			}
		})
	}
}

// deref prints a posture for messages.
func deref(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// orNil turns an empty expectation into nil to compare with an empty breakdown.
func orNil(x []float64) []float64 {
	if len(x) == 0 {
		return []float64{}
	}
	return x
}
