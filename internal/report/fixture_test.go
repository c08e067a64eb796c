package report

import (
	"fmt"
	"time"
)

func score(v float64) *float64 { return &v }

// dueOn is a next reassessment date.
func dueOn(d string) *string { return &d }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// formulaName is a supplier name a spreadsheet would run as a formula.
const formulaName = `=HYPERLINK("evil.example/x","Click me")`

// testSnapshot is a small but complete quarter: special-category data, flags (one
// accepted), an incident, expiries, changes against the previous report and a
// three-quarter trend. Names carry characters every renderer must cope with:
// accents inside and outside cp1252, markup, an ampersand and a formula.
func testSnapshot() Snapshot {
	quayside := SupplierLine{ID: "s-quayside", Name: "Quayside Mail", Status: "active", Criticality: "high", Country: "GB",
		Tier: "critical", InherentTier: "critical", Inherent: 82.5, Posture: score(38.25), EffectivePosture: score(38.25), Residual: 77.41, Records: 600000,
		People:     People{AtLeast: 300000, AtMost: 300000},
		Categories: []string{"political_opinions", "contact_details"}, LastAssessed: "2026-10-14", NextReassessment: dueOn("2027-04-14"),
		Flags: []FlagLine{
			{Code: "special_category_exposure", Severity: "critical", Message: "holds political opinions with a weak posture"},
			{Code: "weak_posture", Severity: "high", Message: "posture 38.25 is below 50"},
			{Code: "concentration", Severity: "high", Message: "holds 83% of special-category records", Accepted: true},
		}}
	northwind := SupplierLine{ID: "s-northwind", Name: "Northwind Payroll Ltd", Status: "active", Criticality: "critical", Country: "GB",
		Tier: "critical", InherentTier: "critical", Inherent: 71, Residual: 71, Records: 45000, Categories: []string{"health", "financial"},
		Flags: []FlagLine{{Code: "unassessed", Severity: "critical", Message: "holds special-category data and was never assessed"}}}
	brulee := SupplierLine{ID: "s-brulee", Name: "Brûlée Analytics SAS", Status: "active", Criticality: "medium", Country: "FR",
		Tier: "high", InherentTier: "high", Inherent: 58.4, Posture: score(61), PostureProvisional: true, EffectivePosture: score(55.5), Residual: 41.2, Records: 120000,
		Categories: []string{"contact_details"}, LastAssessed: "2026-02-03", NextReassessment: dueOn("2026-08-03"),
		Flags: []FlagLine{{Code: "assessment_overdue", Severity: "medium", Message: "reassessment was due on 2026-08-03"}}}
	formula := SupplierLine{ID: "s-formula", Name: formulaName, Status: "onboarding", Criticality: "low", Country: "US",
		Tier: "medium", InherentTier: "medium", Inherent: 30, Posture: score(72), EffectivePosture: score(72), Residual: 12.6, Records: 800,
		Categories: []string{"contact_details"}, LastAssessed: "2026-11-20", NextReassessment: dueOn("2027-11-20"), Flags: []FlagLine{}}
	lodz := SupplierLine{ID: "s-lodz", Name: "Łódź Logistics", Status: "active", Criticality: "medium", Country: "PL",
		Tier: "medium", InherentTier: "medium", Inherent: 25, Posture: score(85), EffectivePosture: score(85), Residual: 5.25, Records: 3000,
		Categories: []string{"contact_details"}, LastAssessed: "2026-09-30", NextReassessment: dueOn("2027-09-30"), Flags: []FlagLine{}}
	pelican := SupplierLine{ID: "s-pelican", Name: "Pelican Print & Post <Ltd>", Status: "active", Criticality: "low", Country: "GB",
		Tier: "low", InherentTier: "low", Inherent: 12, Posture: score(90), EffectivePosture: score(90), Residual: 1.2, Records: 2500,
		Categories: []string{"contact_details"}, LastAssessed: "2026-12-01", NextReassessment: dueOn("2027-12-01"), Flags: []FlagLine{}}
	harbour := SupplierLine{ID: "s-harbour", Name: "Harbour Cloud Hosting", Status: "offboarding", Criticality: "medium", Country: "IE",
		Tier: "low", InherentTier: "low", Inherent: 5, Posture: score(66.5), EffectivePosture: score(66.5), Residual: 1.68, Records: 0,
		Categories: []string{}, LastAssessed: "2026-05-05", NextReassessment: dueOn("2027-05-05"), Flags: []FlagLine{}}
	suppliers := []SupplierLine{quayside, northwind, brulee, formula, lodz, pelican, harbour}

	weak := []SupplierLine{quayside, northwind, brulee}
	for i := range weak {
		weak[i].Rank = i + 1
	}
	cats := []CategoryTotal{
		{Key: "political_opinions", Name: "Political opinions", SpecialCategory: true, Suppliers: 1, Records: 600000,
			People: People{AtLeast: 300000, AtMost: 300000}},
		{Key: "health", Name: "Health", SpecialCategory: true, Suppliers: 1, Records: 45000},
		{Key: "contact_details", Name: "Contact details", Suppliers: 5, Records: 726300,
			People: People{AtLeast: 300000, AtMost: 426300}},
		{Key: "financial", Name: "Financial", Suppliers: 1, Records: 45000},
	}
	notified := at("2026-11-05T16:30:00Z")
	return Snapshot{
		ID: "01934f6a-0000-7000-8000-00000000q4r1", Quarter: "2026-Q4", Revision: 1,
		QuarterStart: "2026-10-01", QuarterEnd: "2026-12-31", AsOf: at("2026-12-31T17:45:00Z"),
		GeneratedBy: "Ana Ortiz (DPO)", Methodology: "2026.2", AuditHeadSeq: 4812,
		AuditHeadHash: "9f2c4e1ab37d5f60c2e8a1b4d9e07f3c6a5b2d18e4f7c0a3b6d9e2f5a8c1b4e7",
		Summary: Summary{
			Suppliers:        7,
			ByStatus:         []Count{{"onboarding", 1}, {"active", 5}, {"offboarding", 1}, {"exited", 0}},
			ByTier:           []Count{{"critical", 2}, {"high", 1}, {"medium", 2}, {"low", 2}},
			ByCriticality:    []Count{{"critical", 1}, {"high", 1}, {"medium", 3}, {"low", 2}},
			PostureHistogram: []Count{{"0-9", 0}, {"10-19", 0}, {"20-29", 0}, {"30-39", 1}, {"40-49", 0}, {"50-59", 0}, {"60-69", 2}, {"70-79", 1}, {"80-89", 1}, {"90-100", 1}, {"unassessed", 1}},
			Records:          771300, People: People{AtLeast: 300000, AtMost: 471300}, ByCategory: cats, SpecialCategorySuppliers: 2, SpecialCategoryRecords: 645000,
			FlaggedSuppliers: 3,
			// Rows from the lowest inherent band (0–19) up, as the register fills them:
			// Pelican and Harbour; Formula and Łódź; Brûlée; Northwind (unassessed); Quayside.
			Heatmap: [5][6]int{{0, 0, 0, 1, 1, 0}, {0, 0, 0, 1, 1, 0}, {0, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 0, 0}},
		},
		Suppliers: suppliers,
		WeakLinks: weak,
		Exposure: ExposureMatrix{Categories: cats, Rows: []ExposureRow{
			{SupplierID: "s-brulee", Name: brulee.Name, Records: []int64{0, 0, 120000, 0}},
			{SupplierID: "s-formula", Name: formulaName, Records: []int64{0, 0, 800, 0}},
			{SupplierID: "s-lodz", Name: lodz.Name, Records: []int64{0, 0, 3000, 0}},
			{SupplierID: "s-northwind", Name: northwind.Name, Records: []int64{0, 45000, 0, 45000}},
			{SupplierID: "s-pelican", Name: pelican.Name, Records: []int64{0, 0, 2500, 0}},
			{SupplierID: "s-quayside", Name: quayside.Name, Records: []int64{600000, 0, 600000, 0}},
		}},
		Assessments: AssessmentsSection{
			Completed: []AssessmentLine{
				{SupplierID: "s-quayside", Name: quayside.Name, SubmittedOn: "2026-10-14", Status: "scored", Score: score(38.25)},
				{SupplierID: "s-formula", Name: formulaName, SubmittedOn: "2026-11-20", Status: "scored", Score: score(72)},
				{SupplierID: "s-pelican", Name: pelican.Name, SubmittedOn: "2026-12-01", Status: "submitted"},
			},
			Overdue:       []DueLine{{SupplierID: "s-brulee", Name: brulee.Name, Tier: "high", DueOn: "2026-08-03"}},
			NeverAssessed: []SupplierRef{{ID: "s-northwind", Name: northwind.Name}},
		},
		Incidents: []IncidentLine{{
			ID: "i-1", SupplierID: "s-pelican", SupplierName: pelican.Name,
			Summary: "Mailing list exposed through a misconfigured print portal", Status: "contained",
			AwareAt: at("2026-11-03T09:12:00Z"), RegulatorDeadline: at("2026-11-06T09:12:00Z"), RegulatorNotifiedAt: &notified,
			Records: 2500, SpecialCategory: false, Categories: []string{"contact_details"}, Subprocessors: []string{"Inkwell Mailing"},
		}},
		Expiring: ExpiringSection{From: "2027-01-01", To: "2027-03-31",
			Contracts:      []Expiry{{SupplierID: "s-harbour", Name: harbour.Name, What: "contract", On: "2027-01-31"}},
			Certifications: []Expiry{{SupplierID: "s-brulee", Name: brulee.Name, What: "iso27001", On: "2027-03-15"}},
		},
		Accepted: []AcceptedRisk{{SupplierID: "s-quayside", Name: quayside.Name, Flag: "concentration",
			Reason: "Sole provider of member mailings; exit plan agreed for 2027", ExpiresAt: at("2027-06-30T00:00:00Z")}},
		Changes: &Changes{
			PreviousID: "01934f6a-0000-7000-8000-00000000q3r1", PreviousQuarter: "2026-Q3",
			NewSuppliers:    []SupplierRef{{ID: "s-formula", Name: formulaName}},
			ExitedSuppliers: []SupplierRef{{ID: "s-gone", Name: "Gull Courier Services"}},
			TierMoves:       []TierMove{{SupplierID: "s-quayside", Name: quayside.Name, From: "high", To: "critical"}},
			PostureDrops:    []PostureDrop{{SupplierID: "s-quayside", Name: quayside.Name, From: 52.5, To: 38.25, Drop: 14.25}},
			NewFlags:        []FlagChange{{SupplierID: "s-quayside", Name: quayside.Name, Code: "weak_posture"}},
			ResolvedFlags:   []FlagChange{{SupplierID: "s-lodz", Name: lodz.Name, Code: "assessment_overdue"}},
		},
		Trend: []TrendPoint{{"2026-Q2", 2}, {"2026-Q3", 4}, {"2026-Q4", 3}},
	}
}

// bigSnapshot is a register of n suppliers, for benchmarks.
func bigSnapshot(n int) Snapshot {
	s := testSnapshot()
	base := s.Suppliers
	s.Suppliers = make([]SupplierLine, n)
	s.Exposure.Rows = make([]ExposureRow, 0, n)
	for i := range s.Suppliers {
		l := base[i%len(base)]
		l.ID = fmt.Sprintf("s-%05d", i)
		l.Name = fmt.Sprintf("%s %05d", l.Name, i)
		s.Suppliers[i] = l
		if l.Records > 0 {
			s.Exposure.Rows = append(s.Exposure.Rows, ExposureRow{SupplierID: l.ID, Name: l.Name,
				Records: []int64{int64(i % 3 * 1000), 0, l.Records, int64(i % 7)}})
		}
	}
	s.Summary.Suppliers = n
	s.WeakLinks = s.Suppliers[:min(25, n)]
	return s
}
