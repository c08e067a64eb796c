package scoring

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// flagToday is the day every hand-built portfolio is flagged on.
const flagToday = "2026-11-02"

// baselineBackups is the text of the baseline questionnaire's offline_backups question.
const baselineBackups = "Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, " +
	"or an attacker holding administrator rights, cannot encrypt, alter or delete it?"

// cleanSupplier raises no flag on its own: active, strong, assessed recently, certified,
// DPA signed, contact details kept in the UK within their retention date.
func cleanSupplier(id, name string) SupplierFacts {
	return SupplierFacts{
		ID: id, Name: name, Status: "active", Criticality: "medium", Tier: TierNameMedium, InherentTier: TierNameMedium,
		Posture: sc(85), LastAssessed: "2026-09-15", DPASigned: true,
		Certifications: []Certification{{Scheme: "iso27001", ExpiresAt: "2027-06-30"}},
		Holdings: []HoldingFacts{{Category: "contact_details", CategoryName: "contact details",
			Records: 1_000, RetentionUntil: "2028-12-31"}},
	}
}

// with returns a copy of s changed by each function in turn.
func with(s SupplierFacts, changes ...func(*SupplierFacts)) SupplierFacts {
	for _, c := range changes {
		c(&s)
	}
	return s
}

// portfolioOf builds a portfolio on flagToday.
func portfolioOf(ss ...SupplierFacts) Portfolio { return Portfolio{Suppliers: ss, Today: flagToday} }

// political is a holding of special-category data.
func political(records int64) HoldingFacts {
	return HoldingFacts{Category: "political_opinions", CategoryName: "political opinions", Special: true, Records: records}
}

// contacts is a holding of ordinary personal data.
func contacts(records int64) HoldingFacts {
	return HoldingFacts{Category: "contact_details", CategoryName: "contact details", Records: records}
}

// findFlag returns the flag with the code, if raised.
func findFlag(fs []Flag, code string) (Flag, bool) {
	for _, f := range fs {
		if f.Code == code {
			return f, true
		}
	}
	return Flag{}, false
}

// checkFlagOrder fails unless the flags have known codes and severities, non-empty
// messages, and come at most once per code, in FlagCodes order.
func checkFlagOrder(t testing.TB, id string, fs []Flag) {
	t.Helper()
	last := -1
	for _, f := range fs {
		i := slices.Index(FlagCodes(), f.Code)
		if i < 0 {
			t.Fatalf("%s: unknown flag code %q", id, f.Code)
		}
		if i <= last {
			t.Fatalf("%s: flags out of order or repeated: %v", id, fs)
		}
		last = i
		if SeverityRank(f.Severity) == 0 {
			t.Fatalf("%s: flag %s has unknown severity %q", id, f.Code, f.Severity)
		}
		if strings.TrimSpace(f.Message) == "" {
			t.Fatalf("%s: flag %s has no message", id, f.Code)
		}
	}
}

// flagCase is one hand-built portfolio and what one supplier's flag of one code must be.
type flagCase struct {
	name     string
	code     string
	p        Portfolio
	supplier string   // the ID checked
	fire     bool     // whether the code must be raised
	severity string   // when it fires
	message  []string // substrings the message must contain
	example  bool     // quoted in docs/methodology.md as the code's worked example
}

// flagCases holds, for every code, cases where it must fire and cases where it must not.
func flagCases() []flagCase {
	qm := cleanSupplier("qm", "Quayside Mail")
	pos := func(x float64) func(*SupplierFacts) { return func(s *SupplierFacts) { s.Posture = sc(x) } }
	never := func(s *SupplierFacts) { s.Posture, s.LastAssessed = nil, "" }
	holds := func(hs ...HoldingFacts) func(*SupplierFacts) { return func(s *SupplierFacts) { s.Holdings = hs } }
	tier := func(tr, last string) func(*SupplierFacts) {
		return func(s *SupplierFacts) { s.InherentTier, s.LastAssessed = tr, last }
	}
	down := func(ds ...Downstream) func(*SupplierFacts) { return func(s *SupplierFacts) { s.Downstream = ds } }
	incidents := func(is ...IncidentFacts) func(*SupplierFacts) { return func(s *SupplierFacts) { s.OpenIncidents = is } }
	lighthouse := Downstream{SupplierID: "lb", Name: "Lighthouse Backup",
		Path: []string{"Quayside Mail", "Harbour Hosting", "Lighthouse Backup"}}
	harbour := Downstream{SupplierID: "hh", Name: "Harbour Hosting", Posture: sc(78),
		Path: []string{"Quayside Mail", "Harbour Hosting"}}
	one := func(s SupplierFacts) Portfolio { return portfolioOf(s) }
	return append([]flagCase{
		{name: "unassessed: holds data, never assessed", code: FlagUnassessed, supplier: "lb", fire: true, severity: SeverityHigh, example: true,
			p:       one(with(cleanSupplier("lb", "Lighthouse Backup"), never, holds(contacts(600_000)))),
			message: []string{"holds personal data (contact details; 600,000 records)", "never been assessed"}},
		{name: "unassessed: special-category data is critical", code: FlagUnassessed, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, never, holds(contacts(10), political(10)))), message: []string{"special-category data (political opinions)"}},
		{name: "unassessed: holds no data", code: FlagUnassessed, supplier: "qm", p: one(with(qm, never, holds()))},
		{name: "unassessed: assessed", code: FlagUnassessed, supplier: "qm", p: one(qm)},

		{name: "assessment_overdue: medium tier", code: FlagAssessmentOverdue, supplier: "qm", fire: true, severity: SeverityMedium,
			p: one(with(qm, tier(TierNameMedium, "2024-09-15"))), message: []string{"2024-09-15", "due for reassessment on 2026-09-15", "every 24 months in the medium inherent tier"}},
		{name: "assessment_overdue: critical tier is high", code: FlagAssessmentOverdue, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p: one(with(qm, tier(TierNameCritical, "2026-03-31"))), message: []string{"due for reassessment on 2026-09-30", "every 6 months in the critical inherent tier"}},
		{name: "assessment_overdue: the inherent tier sets the cadence, not the residual tier", code: FlagAssessmentOverdue, supplier: "qm",
			fire: true, severity: SeverityHigh, p: one(with(qm, tier(TierNameCritical, "2026-03-31"), func(s *SupplierFacts) { s.Tier = TierNameLow })),
			message: []string{"due for reassessment on 2026-09-30", "every 6 months in the critical inherent tier"}},
		{name: "assessment_overdue: a low inherent tier waits 36 months whatever the residual tier", code: FlagAssessmentOverdue, supplier: "qm",
			p: one(with(qm, tier(TierNameLow, "2024-03-31"), func(s *SupplierFacts) { s.Tier = TierNameCritical }))},
		{name: "assessment_overdue: on the due date", code: FlagAssessmentOverdue, supplier: "qm",
			p: one(with(qm, tier(TierNameHigh, "2025-11-02")))},
		{name: "assessment_overdue: never assessed", code: FlagAssessmentOverdue, supplier: "qm", p: one(with(qm, never))},

		{name: "weak_posture: below 50", code: FlagWeakPosture, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p: one(with(qm, pos(42.5))), message: []string{"posture 42.50 is below the weak threshold of 50"}},
		{name: "weak_posture: exactly 50", code: FlagWeakPosture, supplier: "qm", p: one(with(qm, pos(50)))},
		{name: "weak_posture: never assessed", code: FlagWeakPosture, supplier: "qm", p: one(with(qm, never))},

		{name: "trails_portfolio: far behind a strong field", code: FlagTrailsPortfolio, supplier: "s6", fire: true, severity: SeverityHigh, example: true,
			p:       trailsPortfolio("active", 85, 88, 90, 86, 87, 30),
			message: []string{"posture 30.00", "56.50 points under their median of 86.50", "lower quartile of 85.25", "1.5 × the interquartile range of 2.50"}},
		{name: "trails_portfolio: a strong member of the field", code: FlagTrailsPortfolio, supplier: "s1", p: trailsPortfolio("active", 85, 88, 90, 86, 87, 30)},
		{name: "trails_portfolio: everyone alike", code: FlagTrailsPortfolio, supplier: "s5", p: trailsPortfolio("active", 80, 80, 80, 80, 80)},
		{name: "trails_portfolio: fewer than 5 assessed", code: FlagTrailsPortfolio, supplier: "s4", p: trailsPortfolio("active", 85, 88, 90, 30)},

		{name: "critical_control_failed: offline backups", code: FlagCriticalControlFailed, supplier: "qm", fire: true, severity: SeverityCritical, example: true,
			p: one(with(qm, pos(40), func(s *SupplierFacts) {
				s.FailedCritical = []string{"offline_backups"}
				s.QuestionTexts = map[string]string{"offline_backups": baselineBackups, "mfa_remote_and_admin": "Is MFA enforced?"}
			})),
			message: []string{"failed a critical control, so its score is capped at 40: ",
				": Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, or an attacker holding… (offline_backups)"}},
		{name: "critical_control_failed: two, one text unknown", code: FlagCriticalControlFailed, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, pos(40), func(s *SupplierFacts) {
				s.FailedCritical = []string{"mfa_remote_and_admin", "offline_backups"}
				s.QuestionTexts = map[string]string{"mfa_remote_and_admin": "Is MFA enforced? Name any exceptions."}
			})),
			message: []string{"failed 2 critical controls, so its score is capped at 40: Is MFA enforced?… (mfa_remote_and_admin); offline_backups"}},
		{name: "critical_control_failed: none failed", code: FlagCriticalControlFailed, supplier: "qm", p: one(qm)},

		{name: "special_category_exposure: neither weak nor strong", code: FlagSpecialCategoryExposure, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p: one(with(qm, pos(54.29), holds(contacts(600_000), political(600_000)))), message: []string{"political opinions", "posture of 54.29, below the strong threshold of 75"}},
		{name: "special_category_exposure: weak is critical", code: FlagSpecialCategoryExposure, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, pos(40), holds(political(10)))), message: []string{"weak posture of 40.00"}},
		{name: "special_category_exposure: never assessed is critical", code: FlagSpecialCategoryExposure, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, never, holds(political(10)))), message: []string{"never been assessed"}},
		{name: "special_category_exposure: strong", code: FlagSpecialCategoryExposure, supplier: "qm", p: one(with(qm, pos(75), holds(political(10))))},
		{name: "special_category_exposure: no special data", code: FlagSpecialCategoryExposure, supplier: "qm", p: one(with(qm, pos(40)))},

		{name: "inherited_weakness: unassessed three levels down", code: FlagInheritedWeakness, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p:       one(with(qm, down(harbour, lighthouse))),
			message: []string{"Lighthouse Backup (never assessed) via Quayside Mail → Harbour Hosting → Lighthouse Backup"}},
		{name: "inherited_weakness: the weakest is named first", code: FlagInheritedWeakness, supplier: "qm", fire: true, severity: SeverityHigh,
			p: one(with(qm, down(Downstream{SupplierID: "a", Name: "Anchor Print", Posture: sc(45), Path: []string{"Quayside Mail", "Anchor Print"}},
				Downstream{SupplierID: "b", Name: "Buoy Analytics", Posture: sc(30.5), Path: []string{"Quayside Mail", "Anchor Print", "Buoy Analytics"}}))),
			message: []string{"Buoy Analytics (posture 30.50, below 50) via Quayside Mail → Anchor Print → Buoy Analytics", "1 more weak or unassessed sub-processor down its paths: Anchor Print"}},
		{name: "inherited_weakness: sub-processors sound", code: FlagInheritedWeakness, supplier: "qm", p: one(with(qm, down(harbour)))},
		{name: "inherited_weakness: a cycle back to itself", code: FlagInheritedWeakness, supplier: "qm",
			p: one(with(qm, pos(45), down(Downstream{SupplierID: "qm", Name: "Quayside Mail", Posture: sc(45)})))},

		{name: "concentration: two thirds of special data", code: FlagConcentration, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p:       portfolioOf(with(qm, holds(political(600_000))), with(cleanSupplier("hh", "Harbour Hosting"), holds(political(300_000)))),
			message: []string{"66.7 % of the 900,000 political opinions records", "600,000 records; 2 suppliers hold it"}},
		{name: "concentration: ordinary data is medium", code: FlagConcentration, supplier: "qm", fire: true, severity: SeverityMedium,
			p: portfolioOf(with(qm, holds(contacts(700))), with(cleanSupplier("hh", "Harbour Hosting"), holds(contacts(300)))), message: []string{"70.0 %"}},
		{name: "concentration: the smaller holder", code: FlagConcentration, supplier: "hh",
			p: portfolioOf(with(qm, holds(political(600_000))), with(cleanSupplier("hh", "Harbour Hosting"), holds(political(300_000))))},
		{name: "concentration: exactly half", code: FlagConcentration, supplier: "qm",
			p: portfolioOf(with(qm, holds(contacts(500))), with(cleanSupplier("hh", "Harbour Hosting"), holds(contacts(500))))},
		{name: "concentration: the only holder", code: FlagConcentration, supplier: "qm", p: one(with(qm, holds(political(600_000))))},
		{name: "concentration: the other holder has no records", code: FlagConcentration, supplier: "qm",
			p: portfolioOf(with(qm, holds(contacts(700))), with(cleanSupplier("hh", "Harbour Hosting"), holds(contacts(0))))},

		{name: "certification_expired: expired in June", code: FlagCertificationExpired, supplier: "qm", fire: true, severity: SeverityMedium, example: true,
			p: one(with(qm, func(s *SupplierFacts) {
				s.Certifications = []Certification{{Scheme: "iso27001", ExpiresAt: "2026-06-30"}, {Scheme: "cyber_essentials", ExpiresAt: "2027-03-31"}}
			})),
			message: []string{"certification expired: iso27001 on 2026-06-30"}},
		{name: "certification_expired: valid on its expiry day", code: FlagCertificationExpired, supplier: "qm",
			p: one(with(qm, func(s *SupplierFacts) { s.Certifications = []Certification{{Scheme: "soc2", ExpiresAt: flagToday}} }))},

		{name: "no_dpa: holds data without a DPA", code: FlagNoDPA, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p: one(with(qm, func(s *SupplierFacts) { s.DPASigned = false })), message: []string{"contact details; 1,000 records", "data processing agreement"}},
		{name: "open_incident: an incident not closed", code: FlagOpenIncident, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p: one(with(qm, incidents(IncidentFacts{ID: "inc-1", Summary: "data rendered  inaccessible", AwareAt: time.Date(2026, 10, 29, 9, 0, 0, 0, time.UTC),
				OpenFor: 96*time.Hour + 119*time.Minute}))),
			message: []string{`an incident is not closed: "data rendered inaccessible" (inc-1), aware since 2026-10-29 09:00 UTC, open for 4 days and 1 hour`}},
		{name: "open_incident: special-category data held is critical", code: FlagOpenIncident, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, holds(contacts(10), political(10)), incidents(IncidentFacts{ID: "a", Summary: "x", OpenFor: 59 * time.Minute},
				IncidentFacts{ID: "b", Summary: "y", OpenFor: 23 * time.Hour}))),
			message: []string{"2 incidents are not closed", "open for less than an hour", "open for 23 hours", "special-category data is in its care (political opinions)"}},
		{name: "open_incident: special-category data received is critical", code: FlagOpenIncident, supplier: "qm", fire: true, severity: SeverityCritical,
			p: one(with(qm, func(s *SupplierFacts) {
				s.InCare = append(append([]HoldingFacts(nil), s.Holdings...), HoldingFacts{Category: "health", Special: true, Records: 50, Received: true})
			}, incidents(IncidentFacts{ID: "a", Summary: "x", OpenFor: 48 * time.Hour}))),
			message: []string{"open for 2 days;", "in its care (health)"}},
		{name: "open_incident: none open", code: FlagOpenIncident, supplier: "qm", p: one(qm)},
		{name: "no_dpa: holds no data", code: FlagNoDPA, supplier: "qm", p: one(with(qm, holds(), func(s *SupplierFacts) { s.DPASigned = false }))},
		{name: "no_dpa: signed", code: FlagNoDPA, supplier: "qm", p: one(qm)},

		{name: "retention_exceeded: past its date", code: FlagRetentionExceeded, supplier: "qm", fire: true, severity: SeverityMedium, example: true,
			p: one(with(qm, func(s *SupplierFacts) { s.Holdings[0].RetentionUntil = "2026-10-31" })), message: []string{"contact details (2026-10-31)"}},
		{name: "retention_exceeded: retained until today", code: FlagRetentionExceeded, supplier: "qm",
			p: one(with(qm, holds(HoldingFacts{Category: "contact_details", Records: 5, RetentionUntil: flagToday})))},
		{name: "retention_exceeded: no retention date recorded", code: FlagRetentionExceeded, supplier: "qm", p: one(with(qm, holds(contacts(5))))},

		{name: "unsafeguarded_transfer: no mechanism", code: FlagUnsafeguardedTransfer, supplier: "qm", fire: true, severity: SeverityHigh, example: true,
			p:       one(with(qm, holds(HoldingFacts{Category: "contact_details", CategoryName: "contact details", Records: 5, OutsideUKEEA: []string{"US", "IN"}}))),
			message: []string{"contact details in US, IN"}},
		{name: "unsafeguarded_transfer: standard contractual clauses", code: FlagUnsafeguardedTransfer, supplier: "qm",
			p: one(with(qm, holds(HoldingFacts{Category: "contact_details", Records: 5, OutsideUKEEA: []string{"US"}, TransferMechanism: "scc"})))},
		{name: "unsafeguarded_transfer: kept in the UK", code: FlagUnsafeguardedTransfer, supplier: "qm", p: one(qm)},
	}, careFlagCases()...)
}

// trailsPortfolio builds suppliers s1, s2, … with the postures and status given.
func trailsPortfolio(status string, postures ...float64) Portfolio {
	var ss []SupplierFacts
	for i, x := range postures {
		ss = append(ss, with(cleanSupplier(fmt.Sprintf("s%d", i+1), fmt.Sprintf("Supplier %d", i+1)),
			func(s *SupplierFacts) { s.Posture, s.Status = sc(x), status }))
	}
	return portfolioOf(ss...)
}

func TestFlagRules(t *testing.T) {
	fired, quiet := map[string]bool{}, map[string]bool{}
	for _, c := range flagCases() {
		t.Run(c.name, func(t *testing.T) {
			got := Flags(c.p, DefaultConfig(), DefaultFlagConfig())
			for id, sf := range got {
				checkFlagOrder(t, id, sf.Flags)
			}
			sf, ok := got[c.supplier]
			if !ok {
				t.Fatalf("no entry for supplier %q", c.supplier)
			}
			f, raised := findFlag(sf.Flags, c.code)
			if raised != c.fire {
				t.Fatalf("%s raised = %v, want %v (flags %v)", c.code, raised, c.fire, sf.Flags)
			}
			if !c.fire {
				return
			}
			if f.Severity != c.severity {
				t.Errorf("severity %q, want %q", f.Severity, c.severity)
			}
			for _, m := range c.message {
				if !strings.Contains(f.Message, m) {
					t.Errorf("message %q does not contain %q", f.Message, m)
				}
			}
		})
		if c.fire {
			fired[c.code] = true
		} else {
			quiet[c.code] = true
		}
	}
	for _, code := range FlagCodes() {
		if !fired[code] || !quiet[code] {
			t.Errorf("%s needs a case where it fires and one where it does not (fires %v, quiet %v)", code, fired[code], quiet[code])
		}
	}
}

func TestCleanSupplierRaisesNothing(t *testing.T) {
	got := Flags(portfolioOf(cleanSupplier("qm", "Quayside Mail")), DefaultConfig(), DefaultFlagConfig())
	sf := got["qm"]
	if sf.SupplierID != "qm" || sf.Flags == nil || len(sf.Flags) != 0 {
		t.Fatalf("clean supplier: %+v", sf)
	}
	if sf.EffectivePosture == nil || *sf.EffectivePosture != 85 {
		t.Fatalf("effective posture %v, want 85", sf.EffectivePosture)
	}
}

func TestTrailsPortfolio(t *testing.T) {
	cases := []struct {
		name string
		p    Portfolio
		want []string // the suppliers flagged
	}{
		{"one far behind a strong field", trailsPortfolio("active", 85, 88, 90, 86, 87, 30), []string{"s6"}},
		{"everyone alike", trailsPortfolio("active", 80, 80, 80, 80, 80), nil},
		{"fewer than 5 assessed active suppliers", trailsPortfolio("active", 85, 88, 90, 30), nil},
		{"IQR 0: the one far behind an identical field", trailsPortfolio("active", 80, 80, 80, 80, 80, 60), []string{"s6"}},
		{"IQR 0: behind, but by less than 15", trailsPortfolio("active", 80, 80, 80, 80, 80, 66), nil},
		{"exactly 15 under the median", trailsPortfolio("active", 80, 80, 80, 80, 80, 65), []string{"s6"}},
		{"a spread-out field", trailsPortfolio("active", 40, 55, 70, 85, 95, 30), nil},
		{"onboarding suppliers are not the active portfolio", trailsPortfolio("onboarding", 85, 88, 90, 86, 87, 30), nil},
		{"unassessed suppliers do not count", portfolioOf(append(trailsPortfolio("active", 85, 88, 90, 30).Suppliers,
			with(cleanSupplier("u", "Unassessed"), func(s *SupplierFacts) { s.Posture = nil }))...), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for id, sf := range Flags(c.p, DefaultConfig(), DefaultFlagConfig()) {
				if _, ok := findFlag(sf.Flags, FlagTrailsPortfolio); ok {
					got = append(got, id)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Fatalf("flagged %v, want %v", got, c.want)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{30, 85, 86, 87, 88, 90}
	for _, c := range []struct{ p, want float64 }{{0, 30}, {0.25, 85.25}, {0.5, 86.5}, {0.75, 87.75}, {1, 90}} {
		if got := quantile(xs, c.p); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := quantile([]float64{42}, 0.25); got != 42 {
		t.Errorf("single value: %v", got)
	}
}

func TestEffectivePosture(t *testing.T) {
	cfg := DefaultConfig()
	d := func(id string, p *float64) Downstream { return Downstream{SupplierID: id, Name: id, Posture: p} }
	cases := []struct {
		name string
		own  *float64
		down []Downstream
		want *float64
	}{
		{"own only", sc(85), nil, sc(85)},
		{"lowest along the paths", sc(85), []Downstream{d("hh", sc(78)), d("lb", sc(61.5)), d("ap", sc(90))}, sc(61.5)},
		{"own is the lowest", sc(40), []Downstream{d("hh", sc(78))}, sc(40)},
		{"unassessed downstream counts as 0", sc(85), []Downstream{d("hh", sc(78)), d("lb", nil)}, sc(0)},
		{"unassessed with no downstream", nil, nil, nil},
		{"unassessed itself with downstream", nil, []Downstream{d("hh", sc(78))}, sc(0)},
		{"a cycle back to itself adds nothing", sc(85), []Downstream{d("qm", sc(85))}, sc(85)},
		{"a posture that is not a number is unassessed", sc(math.NaN()), nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := with(cleanSupplier("qm", "Quayside Mail"), func(s *SupplierFacts) { s.Posture, s.Downstream = c.own, c.down })
			got := EffectivePosture(s, cfg)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("EffectivePosture = %v, want %v", deref(got), deref(c.want))
			}
			viaFlags := Flags(portfolioOf(s), cfg, DefaultFlagConfig())["qm"].EffectivePosture
			if !reflect.DeepEqual(viaFlags, c.want) {
				t.Fatalf("Flags' EffectivePosture = %v, want %v", deref(viaFlags), deref(c.want))
			}
			if got != nil && got == c.own {
				t.Fatal("EffectivePosture aliases the input posture")
			}
		})
	}
}

func TestFlagRulesFollowFlagCodes(t *testing.T) {
	codes := FlagCodes()
	if len(codes) != 14 || len(flagRules) != len(codes) { // PRODUCT.md §4: fourteen codes
		t.Fatalf("%d codes, %d rules", len(codes), len(flagRules))
	}
	for i, r := range flagRules {
		if r.code != codes[i] {
			t.Errorf("rule %d is %q, want %q", i, r.code, codes[i])
		}
	}
	codes[0] = "changed"
	if FlagCodes()[0] != FlagUnassessed {
		t.Fatal("FlagCodes returns a shared slice")
	}
}

func TestSeverityRank(t *testing.T) {
	for s, want := range map[string]int{SeverityCritical: 4, SeverityHigh: 3, SeverityMedium: 2, SeverityLow: 1, "": 0, "severe": 0} {
		if got := SeverityRank(s); got != want {
			t.Errorf("SeverityRank(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestFlagConfigValidate(t *testing.T) {
	if err := DefaultFlagConfig().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	bad := []FlagConfig{
		{OutlierMinPortfolio: 0, OutlierMinGap: 15, OutlierIQRMultiple: 1.5, ConcentrationShare: 0.5},
		{OutlierMinPortfolio: 5, OutlierMinGap: -1, OutlierIQRMultiple: 1.5, ConcentrationShare: 0.5},
		{OutlierMinPortfolio: 5, OutlierMinGap: 15, OutlierIQRMultiple: math.NaN(), ConcentrationShare: 0.5},
		{OutlierMinPortfolio: 5, OutlierMinGap: 15, OutlierIQRMultiple: 1.5, ConcentrationShare: 1.5},
	}
	for i, fc := range bad {
		if err := fc.Validate(); err == nil {
			t.Errorf("case %d: %+v accepted", i, fc)
		}
	}
}

func TestFmtShare(t *testing.T) {
	for _, c := range []struct {
		share float64
		want  string
	}{{2.0 / 3, "66.7"}, {0.7, "70.0"}, {0.5004, "50.04"}, {0.50001, "50.001"}} {
		if got := fmtShare(c.share, 0.5); got != c.want {
			t.Errorf("fmtShare(%v) = %q, want %q", c.share, got, c.want)
		}
	}
}
