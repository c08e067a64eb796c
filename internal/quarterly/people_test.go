package quarterly_test

import (
	"context"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// The report counts people as people and gives a sub-processor the records in its
// care (PRODUCT.md §2): MemberHub holds 580,000 members' contact details and their
// political opinions and passes both to Harbour Hosting, which holds nothing itself.
func TestReportCountsPeopleAndDataInCare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		clock := testdb.NewClock(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))
		svc := register.New(st, clock.Now)
		f := &reportFixture{t: t, svc: svc, rep: quarterly.New(svc, st), clock: clock, ids: map[string]string{}}
		ctx := context.Background()
		f.supplier("MemberHub", "critical", dpa)
		f.supplier("Harbour Hosting", "high")
		f.holds("MemberHub", "contact_details", 580000, "members")
		f.holds("MemberHub", "political_opinions", 580000, "members")
		authorised := "2024-03-01"
		if _, err := svc.CreateLink(ctx, editor, f.ids["MemberHub"], register.LinkFields{SubprocessorID: f.ids["Harbour Hosting"],
			Categories: []string{"contact_details", "political_opinions"}, AuthorisedAt: &authorised}); err != nil {
			t.Fatal(err)
		}
		aware := clock.Now().Add(-2 * time.Hour)
		if _, err := svc.CreateIncident(ctx, editor, register.IncidentFields{SupplierID: f.ids["Harbour Hosting"], AwareAt: &aware,
			Summary: "data rendered inaccessible"}); err != nil {
			t.Fatal(err)
		}
		r, _, err := f.rep.GenerateReport(ctx, editor, "", false)
		if err != nil {
			t.Fatal(err)
		}
		s := r.Snapshot
		members := report.People{AtLeast: 580000, AtMost: 580000}
		if s.Summary.Records != 1160000 || s.Summary.People != members {
			t.Errorf("headline: %d records, people %+v", s.Summary.Records, s.Summary.People)
		}
		for _, c := range s.Summary.ByCategory {
			if c.People != members {
				t.Errorf("%s: people %+v", c.Key, c.People)
			}
		}
		for _, l := range s.Suppliers {
			if l.Records != 1160000 || l.People != members || len(l.Categories) != 2 {
				t.Errorf("%s: %d records, people %+v, categories %v", l.Name, l.Records, l.People, l.Categories)
			}
		}
		if len(s.Incidents) != 1 || s.Incidents[0].Records != 1160000 || s.Incidents[0].People != members {
			t.Fatalf("incidents %+v", s.Incidents)
		}
		for _, format := range []string{"html", "xlsx", "csv"} {
			if _, err := f.rep.RenderReport(ctx, s.ID, format); err != nil {
				t.Fatal(format, err)
			}
		}
	})
}
