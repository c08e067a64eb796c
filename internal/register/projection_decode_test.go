package register

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

// The stored figures and summaries decode with the faster decoder exactly as
// encoding/json, which wrote them, would decode them: over a register with every
// kind of figure (data in care received through a link, an approved and a
// provisional assessment with scores, certifications, an accepted flag, an open
// incident).
func TestStoredColumnsDecodeAsEncodingJSONWould(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clock := testdb.NewClock(t0)
		svc := New(st, clock.Now)
		editor := Actor{KeyID: "01900000-0000-7000-8000-000000000001", Name: "procurement", Role: RoleEditor}
		reviewer := Actor{KeyID: "01900000-0000-7000-8000-000000000002", Name: "dpo", Role: RoleAdmin}
		mk := func(name, criticality string) string {
			s, err := svc.CreateSupplier(ctx, editor, SupplierFields{Name: name, Criticality: criticality, DPASignedAt: ptr("2025-01-01"),
				Certifications: []Certification{{Scheme: "iso27001", ExpiresAt: "2027-03-31"}, {Scheme: "soc2", ExpiresAt: "2026-01-31"}}})
			if err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
		crm, mail, printer := mk("Tideway CRM", "critical"), mk("Quayside Mail", "high"), mk("Inkwell Print", "low")
		for _, h := range []struct {
			id, category string
			records      int64
		}{{crm, "political_opinions", 600_000}, {crm, "contact_details", 650_000}, {mail, "contact_details", 80_000}} {
			if _, err := svc.CreateHolding(ctx, editor, h.id, HoldingFields{Category: h.category, DataSubjects: []string{"members", "supporters"},
				RecordCount: ptr(h.records), Purpose: "membership"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range [][2]string{{crm, mail}, {mail, printer}} {
			if _, err := svc.CreateLink(ctx, editor, l[0], LinkFields{SubprocessorID: l[1], Categories: []string{"contact_details", "political_opinions"}}); err != nil {
				t.Fatal(err)
			}
		}
		var doc struct {
			Questions []struct {
				Key     string
				Options []struct{ Value string }
			}
		}
		if err := json.Unmarshal(migrations.Baseline(), &doc); err != nil {
			t.Fatal(err)
		}
		answers := func(worst bool) map[string]string {
			out := map[string]string{}
			for _, q := range doc.Questions {
				out[q.Key] = q.Options[0].Value
				if worst {
					out[q.Key] = q.Options[len(q.Options)-1].Value
				}
			}
			return out
		}
		for i, id := range []string{crm, mail} {
			a, err := svc.CreateAssessment(ctx, editor, id, AssessmentFields{QuestionnaireID: migrations.BaselineID, Answers: answers(i == 1),
				Comments: map[string]string{doc.Questions[0].Key: "see the attached policy"}})
			if err != nil {
				t.Fatal(err)
			}
			if a, err = svc.SubmitAssessment(ctx, editor, a.ID, nil); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := svc.ReviewAssessment(ctx, reviewer, a.ID, nil, func() (Review, error) { return Review{Decision: "approve"}, nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := svc.CreateAcceptance(ctx, reviewer, printer, AcceptanceFields{Flag: "unassessed", Reason: "low volume", ExpiresAt: ptr(t0.AddDate(0, 3, 0))}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateIncident(ctx, editor, IncidentFields{SupplierID: mail, Summary: "mailbox compromised", AwareAt: ptr(t0.Add(-time.Hour))}); err != nil {
			t.Fatal(err)
		}

		var rows []store.RiskRow
		if err := st.Read(ctx, func(tx *store.Tx) (err error) {
			rows, err = tx.RiskRowsOf(nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d stored rows, want 3", len(rows))
		}
		flags := 0
		for _, row := range rows {
			var figures1, figures2 storedRisk
			var sum1, sum2 listSummary
			if err := json.Unmarshal([]byte(row.Figures), &figures1); err != nil {
				t.Fatal(err)
			}
			if err := decodeStored(row.Figures, &figures2); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(row.Summary), &sum1); err != nil {
				t.Fatal(err)
			}
			if err := decodeStored(row.Summary, &sum2); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(figures1, figures2) {
				t.Errorf("%s figures:\nencoding/json %+v\nfaster        %+v", row.SupplierID, figures1, figures2)
			}
			if !reflect.DeepEqual(sum1, sum2) {
				t.Errorf("%s summary:\nencoding/json %+v\nfaster        %+v", row.SupplierID, sum1, sum2)
			}
			flags += len(sum2.Flags)
			if figures2.Risk.InCare.Records == 0 || figures2.Risk.Inherent.Value == 0 {
				t.Errorf("%s: figures decoded empty: %+v", row.SupplierID, figures2.Risk)
			}
		}
		if flags == 0 {
			t.Error("no flag in any summary: the comparison covers none")
		}
	})
}
