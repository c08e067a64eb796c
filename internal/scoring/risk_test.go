package scoring

import (
	"reflect"
	"testing"
)

func TestInherent(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name     string
		holdings []Holding
		crit     string
		want     float64
		points   []float64 // sensitivity, volume, special, criticality (or criticality alone)
	}{
		{name: "no holdings: criticality only", crit: "medium", want: 10, points: []float64{10}},
		{name: "unknown criticality counts as critical", crit: "vital", want: 20, points: []float64{20}},
		{name: "ten million records fill the volume part", crit: "low",
			holdings: []Holding{{"contact_details", 2, false, 9_999_999}}, want: 46, points: []float64{16, 25, 0, 5}},
		{name: "volume is capped at 25", crit: "low",
			holdings: []Holding{{"contact_details", 2, false, 1 << 50}}, want: 46, points: []float64{16, 25, 0, 5}},
		{name: "zero records", crit: "high",
			holdings: []Holding{{"financial", 4, false, 0}}, want: 47, points: []float64{32, 0, 0, 15}},
		{name: "one record", crit: "high",
			holdings: []Holding{{"financial", 4, false, 1}}, want: 48.08, points: []float64{32, 1.08, 0, 15}},
		{name: "special categories counted once each", crit: "critical",
			holdings: []Holding{{"health", 5, true, 500}, {"health", 5, true, 500}, {"political_opinions", 5, true, 0}},
			want:     80.72, points: []float64{40, 10.72, 10, 20}},
		{name: "special part is capped at 15", crit: "critical",
			holdings: []Holding{{"health", 5, true, 0}, {"genetic", 5, true, 0}, {"biometric", 5, true, 0}, {"criminal_offences", 5, true, 0}},
			want:     75, points: []float64{40, 0, 15, 20}},
		{name: "the maximum is 100", crit: "critical",
			holdings: []Holding{{"health", 5, true, 4_000_000}, {"genetic", 5, true, 4_000_000}, {"biometric", 5, true, 4_000_000}},
			want:     100, points: []float64{40, 25, 15, 20}},
		{name: "sensitivity outside 1-5 is read within range", crit: "low",
			holdings: []Holding{{"odd", 9, false, 0}, {"odder", -3, false, -40}}, want: 45, points: []float64{40, 0, 0, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Inherent(c.holdings, c.crit, cfg)
			if got.Value != c.want || !reflect.DeepEqual(partPoints(got.Breakdown), c.points) {
				t.Errorf("inherent %v %v, want %v %v", got.Value, partPoints(got.Breakdown), c.want, c.points)
			}
			checkSum(t, "inherent", got.Value, partPoints(got.Breakdown))
		})
	}
}

func TestResidual(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name     string
		inherent float64
		posture  *float64
		want     float64
	}{
		{"never assessed keeps all inherent risk", 81.89, nil, 81.89},
		{"posture 0 removes nothing", 81.89, sc(0), 81.89},
		{"perfect posture removes 80 %", 50, sc(100), 10},
		{"half posture removes 40 %", 50, sc(50), 30},
		{"zero inherent", 0, sc(30), 0},
		{"inputs read within range", 130, sc(-20), 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Residual(c.inherent, c.posture, cfg)
			if got.Value != c.want {
				t.Errorf("residual %v, want %v (%+v)", got.Value, c.want, got.Breakdown)
			}
			if len(got.Breakdown) != 2 || got.Breakdown[0].Factor != FactorInherent || got.Breakdown[1].Factor != FactorPosture || got.Breakdown[1].Points > 0 {
				t.Errorf("breakdown %+v", got.Breakdown)
			}
			checkSum(t, "residual", got.Value, partPoints(got.Breakdown))
		})
	}
	t.Run("unassessed posture is configurable", func(t *testing.T) {
		c := DefaultConfig()
		c.UnassessedPosture = 50
		if got := Residual(50, nil, c).Value; got != 30 {
			t.Errorf("residual %v, want 30", got)
		}
	})
}

func TestTier(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		residual float64
		want     string
	}{
		{100, "critical"}, {60, "critical"}, {59.99, "high"}, {40, "high"}, {39.99, "medium"},
		{20, "medium"}, {19.99, "low"}, {0, "low"},
	}
	for _, c := range cases {
		t.Run(fmtNum(c.residual), func(t *testing.T) {
			if got := Tier(c.residual, cfg); got != c.want {
				t.Errorf("Tier(%v) = %q, want %q", c.residual, got, c.want)
			}
		})
	}
}
