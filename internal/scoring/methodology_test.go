package scoring

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The worked example of docs/methodology.md. TestMethodologyWorkedExample recomputes it
// and fails when the code, the figures below and the figures printed in the document
// disagree, so the document cannot drift from the code.

// methodologyDoc is the document, relative to this package.
const methodologyDoc = "../../docs/methodology.md"

// workedExampleMarker introduces the fenced block of figures the test reads.
const workedExampleMarker = "<!-- worked-example figures: checked by TestMethodologyWorkedExample -->"

// workedQuestionnaire is the example's questionnaire.
func workedQuestionnaire() []Question {
	return []Question{
		{Key: "mfa_admin", Domain: "access_control", Weight: 3, Critical: true, Options: yesNo(false)},
		{Key: "access_reviews", Domain: "access_control", Weight: 2,
			Options: []Option{{"quarterly", sc(1)}, {"yearly", sc(0.5)}, {"never", sc(0)}}},
		{Key: "offline_backups", Domain: "backup_recovery", Weight: 3, Critical: true, Options: yesNo(true)},
		{Key: "restore_tested", Domain: "backup_recovery", Weight: 2, Options: yesNo(false)},
		{Key: "patch_window", Domain: "vulnerability_management", Weight: 2,
			Options: []Option{{"14_days", sc(1)}, {"30_days", sc(0.75)}, {"90_days", sc(0.25)}, {"none", sc(0)}}},
		{Key: "encryption_at_rest", Domain: "data_protection", Weight: 2, Options: yesNo(true)},
		{Key: "card_data_segmented", Domain: "data_protection", Weight: 1, Optional: true, Options: yesNo(true)},
		{Key: "annual_pen_test", Domain: "vulnerability_management", Weight: 1, Optional: true, Options: yesNo(false)},
	}
}

// workedAnswers are Quayside Mail's answers (annual_pen_test left unanswered).
func workedAnswers() map[string]string {
	return map[string]string{
		"mfa_admin": "yes", "access_reviews": "yearly", "offline_backups": "partial", "restore_tested": "no",
		"patch_window": "30_days", "encryption_at_rest": "yes", "card_data_segmented": "n/a",
	}
}

// The rest of the example: holdings, criticality, certifications, dates.
var (
	workedHoldings = []Holding{
		{Category: "contact_details", Sensitivity: 2, Records: 600_000},
		{Category: "political_opinions", Sensitivity: 5, Special: true, Records: 600_000},
		{Category: "financial", Sensitivity: 4, Records: 150_000},
	}
	workedCertifications = []Certification{
		{Scheme: "iso27001", ExpiresAt: "2026-06-30"},
		{Scheme: "cyber_essentials", ExpiresAt: "2027-03-31"},
	}
)

const (
	workedCriticality = "high"
	workedToday       = "2026-11-02"
	workedSubmitted   = "2026-09-15"
)

// workedExpected are the example's figures, in the order the document prints them.
var workedExpected = []figure{
	{"answers", "64.29"},
	{"critical control cap", "none"},
	{"assessment score", "64.29"},
	{"domain access_control", "80.00"},
	{"domain backup_recovery", "30.00"},
	{"domain vulnerability_management", "75.00"},
	{"domain data_protection", "100.00"},
	{"expired certifications", "-10.00"},
	{"no DPA", "0.00"},
	{"posture", "54.29"},
	{"weak", "no"},
	{"strong", "no"},
	{"inherent sensitivity", "40.00"},
	{"inherent volume", "21.89"},
	{"inherent special categories", "5.00"},
	{"inherent criticality", "15.00"},
	{"inherent risk", "81.89"},
	{"residual posture part", "-35.57"},
	{"residual risk", "46.32"},
	{"tier", "high"},
	{"inherent tier", "critical"},
	{"next reassessment", "2027-03-15"},
	{"variant offline_backups=no: answers", "53.57"},
	{"variant offline_backups=no: critical control cap", "-13.57"},
	{"variant offline_backups=no: assessment score", "40.00"},
	{"variant iso27001 renewed: posture", "64.29"},
	{"variant iso27001 renewed: residual risk", "39.77"},
	{"variant iso27001 renewed: tier", "medium"},
	{"variant never assessed: residual risk", "81.89"},
	{"variant never assessed: tier", "critical"},
}

// figure is one labelled line of the worked example's block.
type figure struct{ label, value string }

// f2 prints a published figure the way the document does.
func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// yesno prints a boolean the way the document does.
func yesno(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// workedFigures recomputes the example.
func workedFigures(t *testing.T) []figure {
	cfg := DefaultConfig()
	var out []figure
	add := func(label, value string) { out = append(out, figure{label, value}) }
	partOf := func(ps []Part, factor string) (float64, bool) {
		for _, p := range ps {
			if p.Factor == factor {
				return p.Points, true
			}
		}
		return 0, false
	}

	a, err := ScoreAssessment(workedQuestionnaire(), workedAnswers(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	add("answers", f2(a.Raw))
	if c, ok := partOf(a.Breakdown, FactorCriticalCap); ok {
		add("critical control cap", f2(c))
	} else {
		add("critical control cap", "none")
	}
	add("assessment score", f2(a.Score))
	for _, d := range a.Domains {
		add("domain "+d.Domain, f2(*d.Score))
	}
	p := PostureAt(PostureInput{Assessment: &a, Certifications: workedCertifications, DPASigned: true,
		HoldsPersonalData: true, Today: workedToday}, cfg)
	c, _ := partOf(p.Breakdown, FactorExpiredCerts)
	add("expired certifications", f2(c))
	d, _ := partOf(p.Breakdown, FactorNoDPA)
	add("no DPA", f2(d))
	add("posture", f2(*p.Value))
	add("weak", yesno(Weak(p.Value, cfg)))
	add("strong", yesno(Strong(p.Value, cfg)))
	inh := Inherent(workedHoldings, workedCriticality, cfg)
	for _, part := range inh.Breakdown {
		add("inherent "+part.Factor, f2(part.Points))
	}
	add("inherent risk", f2(inh.Value))
	res := Residual(inh.Value, p.Value, cfg)
	pp, _ := partOf(res.Breakdown, FactorPosture)
	add("residual posture part", f2(pp))
	add("residual risk", f2(res.Value))
	tier := Tier(res.Value, cfg)
	add("tier", tier)
	inhTier := Tier(inh.Value, cfg)
	add("inherent tier", inhTier)
	add("next reassessment", NextReassessment(workedSubmitted, inhTier, cfg))

	failed := workedAnswers()
	failed["offline_backups"] = "no"
	v, err := ScoreAssessment(workedQuestionnaire(), failed, cfg)
	if err != nil {
		t.Fatal(err)
	}
	vc, _ := partOf(v.Breakdown, FactorCriticalCap)
	add("variant offline_backups=no: answers", f2(v.Raw))
	add("variant offline_backups=no: critical control cap", f2(vc))
	add("variant offline_backups=no: assessment score", f2(v.Score))

	renewed := PostureAt(PostureInput{Assessment: &a, Certifications: []Certification{{Scheme: "iso27001", ExpiresAt: "2029-06-30"},
		workedCertifications[1]}, DPASigned: true, HoldsPersonalData: true, Today: workedToday}, cfg)
	rr := Residual(inh.Value, renewed.Value, cfg)
	add("variant iso27001 renewed: posture", f2(*renewed.Value))
	add("variant iso27001 renewed: residual risk", f2(rr.Value))
	add("variant iso27001 renewed: tier", Tier(rr.Value, cfg))

	never := Residual(inh.Value, nil, cfg)
	add("variant never assessed: residual risk", f2(never.Value))
	add("variant never assessed: tier", Tier(never.Value, cfg))
	return out
}

// docFigures reads the checked block of figures from the document.
func docFigures(t *testing.T, doc string) []figure {
	_, after, ok := strings.Cut(doc, workedExampleMarker)
	if !ok {
		t.Fatalf("%s has no %q", methodologyDoc, workedExampleMarker)
	}
	after = strings.TrimLeft(after, "\n")
	if !strings.HasPrefix(after, "```") {
		t.Fatalf("the worked-example marker must be followed by a fenced block")
	}
	body, _, ok := strings.Cut(after[strings.Index(after, "\n")+1:], "```")
	if !ok {
		t.Fatal("unterminated worked-example block")
	}
	var out []figure
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		label, value, ok := strings.Cut(line, " = ")
		if !ok {
			t.Fatalf("worked-example line %q is not \"label = value\"", line)
		}
		out = append(out, figure{strings.TrimSpace(label), strings.TrimSpace(value)})
	}
	return out
}

// questionRow is the document's table row for question q of the example.
func questionRow(q Question, a AnswerScore) string {
	key := "`" + q.Key + "`"
	var flags []string
	if q.Critical {
		flags = append(flags, "critical")
	}
	if q.Optional {
		flags = append(flags, "optional")
	}
	if len(flags) == 0 {
		flags = []string{"—"}
	}
	answer, score, points := "(unanswered)", "—", "—"
	if a.Answer != "" {
		answer = "`" + a.Answer + "`"
		score = "n/a"
	}
	if a.OptionScore != nil {
		score = fmtNum(*a.OptionScore)
		points = f2(a.Points)
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |", key, q.Domain, fmtNum(q.Weight), strings.Join(flags, ", "), answer, score, points)
}

// holdingRow is the document's table row for a holding of the example.
func holdingRow(h Holding) string {
	special := "no"
	if h.Special {
		special = "yes (Art. 9)"
	}
	return fmt.Sprintf("| `%s` | %d | %s | %s |", h.Category, h.Sensitivity, special, FormatCount(h.Records))
}

func TestMethodologyWorkedExample(t *testing.T) {
	got := workedFigures(t)
	if len(got) != len(workedExpected) {
		t.Fatalf("computed %d figures, expected %d", len(got), len(workedExpected))
	}
	for i, w := range workedExpected {
		if got[i] != w {
			t.Errorf("code computes %q = %s, the test expects %s", got[i].label, got[i].value, w.value)
		}
	}

	raw, err := os.ReadFile(methodologyDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	inDoc := docFigures(t, doc)
	if len(inDoc) != len(workedExpected) {
		t.Errorf("the document lists %d figures, expected %d", len(inDoc), len(workedExpected))
	}
	for i := 0; i < min(len(inDoc), len(workedExpected)); i++ {
		if inDoc[i] != workedExpected[i] {
			t.Errorf("document line %d is %q = %s, want %q = %s", i+1, inDoc[i].label, inDoc[i].value, workedExpected[i].label, workedExpected[i].value)
		}
	}

	// The tables of inputs, and the prose's arithmetic, must match too.
	a, err := ScoreAssessment(workedQuestionnaire(), workedAnswers(), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range workedQuestionnaire() {
		if row := questionRow(q, a.Answers[i]); !strings.Contains(doc, row) {
			t.Errorf("the document's questionnaire table lacks the row\n%s", row)
		}
	}
	for _, h := range workedHoldings {
		if row := holdingRow(h); !strings.Contains(doc, row) {
			t.Errorf("the document's holdings table lacks the row\n%s", row)
		}
	}
	for _, s := range []string{
		"criticality `" + workedCriticality + "`", workedToday, workedSubmitted,
		"`" + workedCertifications[0].Scheme + "` expired " + workedCertifications[0].ExpiresAt,
		"`" + workedCertifications[1].Scheme + "` valid until " + workedCertifications[1].ExpiresAt,
		"1,350,000", "MethodologyVersion", "`" + MethodologyVersion + "`",
	} {
		if !strings.Contains(doc, s) {
			t.Errorf("the document does not mention %q", s)
		}
	}
}

func TestMethodologyDefaultsTable(t *testing.T) {
	raw, err := os.ReadFile(methodologyDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	cfg := DefaultConfig()
	rows := []struct {
		name  string
		value float64
	}{
		{"CriticalCap", cfg.CriticalCap}, {"ExpiredCertPenalty", cfg.ExpiredCertPenalty},
		{"MaxCertPenalty", cfg.MaxCertPenalty}, {"NoDPAPenalty", cfg.NoDPAPenalty},
		{"WeakBelow", cfg.WeakBelow}, {"StrongFrom", cfg.StrongFrom},
		{"UnassessedPosture", cfg.UnassessedPosture}, {"PostureMitigation", cfg.PostureMitigation},
		{"TierCritical", cfg.TierCritical}, {"TierHigh", cfg.TierHigh}, {"TierMedium", cfg.TierMedium},
	}
	for _, r := range rows {
		if row := fmt.Sprintf("| `%s` | %s |", r.name, fmtNum(r.value)); !strings.Contains(doc, row) {
			t.Errorf("the defaults table lacks %q", row)
		}
	}
	for _, tier := range TierNames() {
		if row := fmt.Sprintf("| `ReassessMonths[%s]` | %d |", tier, cfg.ReassessMonths[tier]); !strings.Contains(doc, row) {
			t.Errorf("the defaults table lacks %q", row)
		}
	}
	// The volume examples in the inherent-risk section.
	for _, n := range []int64{0, 100, 10_000, 100_000, 1_000_000, 10_000_000} {
		v := Inherent([]Holding{{Category: "x", Records: n}}, "low", cfg).Breakdown[1].Points
		if row := fmt.Sprintf("| %s | %s |", FormatCount(n), f2(v)); !strings.Contains(doc, row) {
			t.Errorf("the volume table lacks %q", row)
		}
	}
}
