package scoring

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// Property and fuzz tests of the flag engine: seeded random portfolios, so every run
// checks the same cases and a failure reproduces.

func TestFlagsDeterministic(t *testing.T) {
	r := newRand(42)
	cfg, fc := DefaultConfig(), DefaultFlagConfig()
	for run := 0; run < 200; run++ {
		p := randPortfolio(r, 1+r.IntN(30))
		first := Flags(p, cfg, fc)
		if len(first) != len(p.Suppliers) {
			t.Fatalf("run %d: %d entries for %d suppliers", run, len(first), len(p.Suppliers))
		}
		for id, sf := range first {
			if sf.SupplierID != id {
				t.Fatalf("run %d: entry %q carries ID %q", run, id, sf.SupplierID)
			}
			checkFlagOrder(t, id, sf.Flags)
		}
		if again := Flags(p, cfg, fc); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d: the same portfolio gave different flags", run)
		}
		reversed := Portfolio{Today: p.Today, Suppliers: slices.Clone(p.Suppliers)}
		slices.Reverse(reversed.Suppliers)
		if again := Flags(reversed, cfg, fc); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d: the order of the suppliers changed the flags", run)
		}
	}
}

// randPortfolio builds n suppliers with random facts, a few sharing sub-processors.
func randPortfolio(r interface {
	IntN(int) int
	Int64N(int64) int64
}, n int) Portfolio {
	statuses := []string{"onboarding", "active", "active", "active", "offboarding", "exited"}
	cats := []HoldingFacts{contacts(0), political(0), {Category: "health", CategoryName: "health", Special: true},
		{Category: "financial", CategoryName: "financial"}}
	var ss []SupplierFacts
	for i := 0; i < n; i++ {
		s := cleanSupplier(fmt.Sprintf("s%02d", i), fmt.Sprintf("Supplier %02d", i))
		s.Status = statuses[r.IntN(len(statuses))]
		s.Tier = TierNames()[r.IntN(4)]
		s.InherentTier = TierNames()[r.IntN(4)]
		s.DPASigned = r.IntN(4) > 0
		if r.IntN(5) == 0 {
			s.Posture, s.LastAssessed = nil, ""
		} else {
			s.Posture = sc(float64(r.IntN(10001)) / 100)
			s.LastAssessed = fmt.Sprintf("20%02d-%02d-15", 22+r.IntN(5), 1+r.IntN(12))
		}
		if r.IntN(6) == 0 {
			s.FailedCritical = []string{"offline_backups", "mfa_admin"}[:1+r.IntN(2)]
		}
		s.Certifications = []Certification{{Scheme: "iso27001", ExpiresAt: fmt.Sprintf("20%02d-06-30", 25+r.IntN(3))}}
		s.Holdings = nil
		for k := r.IntN(4); k > 0; k-- {
			h := cats[r.IntN(len(cats))]
			h.Records = r.Int64N(1_000_000)
			if r.IntN(3) == 0 {
				h.RetentionUntil = fmt.Sprintf("20%02d-12-31", 25+r.IntN(4))
			}
			if r.IntN(4) == 0 {
				h.OutsideUKEEA = []string{"US"}
			}
			s.Holdings = append(s.Holdings, h)
		}
		for k := r.IntN(3); k > 0 && i > 0; k-- {
			j := r.IntN(i)
			s.Downstream = append(s.Downstream, Downstream{SupplierID: ss[j].ID, Name: ss[j].Name, Posture: ss[j].Posture,
				Path: []string{s.Name, ss[j].Name}})
		}
		ss = append(ss, s)
	}
	return portfolioOf(ss...)
}

func TestPropertyInheritedWeaknessMatchesEffectivePosture(t *testing.T) {
	r := newRand(7)
	cfg, fc := DefaultConfig(), DefaultFlagConfig()
	for run := 0; run < 300; run++ {
		p := randPortfolio(r, 1+r.IntN(30))
		got := Flags(p, cfg, fc)
		for _, s := range p.Suppliers {
			sf := got[s.ID]
			eff := sf.EffectivePosture
			if s.Posture != nil && (eff == nil || *eff > *s.Posture) {
				t.Fatalf("run %d, %s: effective posture %v above own %v", run, s.ID, deref(eff), *s.Posture)
			}
			if s.Posture == nil || Weak(s.Posture, cfg) {
				continue
			}
			// An assessed supplier that is not weak itself has a weak effective posture
			// exactly when something down its paths is weak or unassessed.
			_, inherited := findFlag(sf.Flags, FlagInheritedWeakness)
			if inherited != Weak(eff, cfg) {
				t.Fatalf("run %d, %s: inherited_weakness %v but effective posture %v", run, s.ID, inherited, deref(eff))
			}
		}
	}
}

// FuzzFlags builds a small portfolio from the bytes and checks the invariants: one entry
// per supplier, flags valid and in order, and the same answer twice.
func FuzzFlags(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{6, 85, 88, 90, 86, 87, 30})
	f.Add([]byte{5, 80, 80, 80, 80, 80, 255, 3, 7, 9})
	f.Add([]byte{3, 0, 255, 49, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzInput{b: data}
		n := int(in.next() % 12)
		var ss []SupplierFacts
		for i := 0; i < n; i++ {
			s := cleanSupplier(fmt.Sprintf("s%d", i), fmt.Sprintf("Supplier %d", i))
			if b := in.next(); b == 255 {
				s.Posture = nil
			} else {
				s.Posture = sc(float64(b%101) + float64(in.next()%100)/100)
			}
			s.Status = []string{"active", "onboarding", "exited"}[in.next()%3]
			s.DPASigned = in.next()%2 == 0
			s.Holdings = nil
			for k := in.next() % 3; k > 0; k-- {
				h := []HoldingFacts{contacts(0), political(0)}[in.next()%2]
				h.Records = int64(in.next()) * 1000
				h.RetentionUntil = []string{"", "2026-01-01", "2027-01-01", "bad"}[in.next()%4]
				if in.next()%3 == 0 {
					h.OutsideUKEEA = []string{"US"}
				}
				s.Holdings = append(s.Holdings, h)
			}
			if i > 0 && in.next()%2 == 0 {
				j := int(in.next()) % i
				s.Downstream = []Downstream{{SupplierID: ss[j].ID, Name: ss[j].Name, Posture: ss[j].Posture, Path: []string{s.Name, ss[j].Name}}}
			}
			ss = append(ss, s)
		}
		p := portfolioOf(ss...)
		got := Flags(p, DefaultConfig(), DefaultFlagConfig())
		if len(got) != len(ss) {
			t.Fatalf("%d entries for %d suppliers", len(got), len(ss))
		}
		for id, sf := range got {
			checkFlagOrder(t, id, sf.Flags)
		}
		if !reflect.DeepEqual(got, Flags(p, DefaultConfig(), DefaultFlagConfig())) {
			t.Fatal("not deterministic")
		}
	})
}
