package register

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// careExampleMarker introduces the data-in-care figures in docs/methodology.md.
const careExampleMarker = "<!-- data-in-care figures: checked by TestMethodologyDataInCareExample -->"

// careExampleFigures computes the worked example of docs/methodology.md, "Data in
// care": MemberHub and Quayside Mail hold; Harbour Hosting, Archive Co and Vault
// Backup receive along links, two of them capped.
func careExampleFigures() []string {
	cap := func(n int64) *int64 { return &n }
	subjects := func(s string) string { return `["` + s + `"]` }
	hs := []store.RiskHolding{
		{ID: "h1", SupplierID: "mh", CategoryKey: "contact_details", CategoryName: "Contact details", Sensitivity: 2, RecordCount: 580_000, DataSubjects: subjects("members")},
		{ID: "h2", SupplierID: "mh", CategoryKey: "political_opinions", CategoryName: "Political opinions", Sensitivity: 5, SpecialCategory: true, RecordCount: 580_000, DataSubjects: subjects("members")},
		{ID: "h3", SupplierID: "qm", CategoryKey: "contact_details", CategoryName: "Contact details", Sensitivity: 2, RecordCount: 20_000, DataSubjects: subjects("supporters")},
	}
	edge := func(from, fromName, to, toName, cat string, records *int64) store.Edge {
		return store.Edge{From: from, FromName: fromName, FromNameKey: strings.ToLower(fromName), To: to, ToName: toName,
			ToNameKey: strings.ToLower(toName), Category: cat, RecordCount: records}
	}
	edges := []store.Edge{
		edge("mh", "MemberHub", "hh", "Harbour Hosting", "contact_details", nil),
		edge("mh", "MemberHub", "hh", "Harbour Hosting", "political_opinions", nil),
		edge("qm", "Quayside Mail", "hh", "Harbour Hosting", "contact_details", nil),
		edge("hh", "Harbour Hosting", "vb", "Vault Backup", "political_opinions", cap(100_000)),
		edge("mh", "MemberHub", "ac", "Archive Co", "political_opinions", cap(300_000)),
		edge("ac", "Archive Co", "vb", "Vault Backup", "political_opinions", nil),
	}
	c := newInCare(hs, edges)
	cfg := scoring.DefaultConfig()
	var out []string
	for _, s := range []struct{ id, name, criticality string }{{"hh", "Harbour Hosting", "high"}, {"vb", "Vault Backup", "medium"}} {
		p := c.people(s.id)
		out = append(out, fmt.Sprintf("%s records = %s", s.name, scoring.FormatCount(c.records(s.id))),
			fmt.Sprintf("%s people = at least %s, at most %s", s.name, scoring.FormatCount(p.AtLeast), scoring.FormatCount(p.AtMost)))
		inh := scoring.Inherent(c.scoringHoldings(s.id), s.criticality, cfg)
		for _, part := range inh.Breakdown {
			out = append(out, fmt.Sprintf("%s inherent %s = %.2f", s.name, part.Factor, part.Points))
		}
		out = append(out, fmt.Sprintf("%s inherent risk = %.2f", s.name, inh.Value))
		for _, src := range c.sources(s.id) {
			out = append(out, fmt.Sprintf("%s %s", s.name, src.Detail))
		}
	}
	return out
}

// The worked example of data in care in the methodology is what the code computes.
func TestMethodologyDataInCareExample(t *testing.T) {
	raw, err := os.ReadFile("../../docs/methodology.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(raw), careExampleMarker)
	if !ok {
		t.Fatalf("the methodology has no %q", careExampleMarker)
	}
	after = strings.TrimLeft(after, "\n")
	if !strings.HasPrefix(after, "```text\n") {
		t.Fatal("the data-in-care marker must be followed by a ```text block")
	}
	body, _, ok := strings.Cut(strings.TrimPrefix(after, "```text\n"), "```")
	if !ok {
		t.Fatal("unterminated data-in-care block")
	}
	want := strings.Join(careExampleFigures(), "\n")
	if got := strings.TrimSpace(body); got != want {
		t.Errorf("the methodology's data-in-care figures read\n%s\nbut the code computes\n%s", got, want)
	}
}
