package quarterly_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

var editor = register.Actor{KeyID: "01900000-0000-7000-8000-000000000001", Name: "procurement", Role: register.RoleEditor}

type reportFixture struct {
	t     *testing.T
	svc   *register.Service
	rep   *quarterly.Service
	clock *testdb.Clock
	ids   map[string]string
}

func (f *reportFixture) supplier(name, crit string, fields ...func(*register.SupplierFields)) {
	f.t.Helper()
	sf := register.SupplierFields{Name: name, Criticality: crit}
	for _, fn := range fields {
		fn(&sf)
	}
	s, err := f.svc.CreateSupplier(context.Background(), editor, sf)
	if err != nil {
		f.t.Fatal(err)
	}
	f.ids[name] = s.ID
}

func (f *reportFixture) holds(name, cat string, n int64, subjects ...string) {
	f.t.Helper()
	if _, err := f.svc.CreateHolding(context.Background(), editor, f.ids[name], register.HoldingFields{Category: cat, DataSubjects: subjects, RecordCount: &n}); err != nil {
		f.t.Fatal(err)
	}
}

// assess submits the baseline with every best answer, or with offline backups failed.
func (f *reportFixture) assess(name string, failBackups bool) {
	f.t.Helper()
	ctx := context.Background()
	var doc struct {
		Questions []struct {
			Key     string
			Options []struct {
				Value string
				Score *float64
			}
		}
	}
	_ = json.Unmarshal(migrations.Baseline(), &doc)
	answers := map[string]string{}
	for _, q := range doc.Questions {
		best, worst, bs, ws := "", "", -1.0, 2.0
		for _, o := range q.Options {
			if o.Score != nil && *o.Score > bs {
				best, bs = o.Value, *o.Score
			}
			if o.Score != nil && *o.Score < ws {
				worst, ws = o.Value, *o.Score
			}
		}
		answers[q.Key] = best
		if failBackups && q.Key == "offline_backups" {
			answers[q.Key] = worst
		}
	}
	a, err := f.svc.CreateAssessment(ctx, editor, f.ids[name], register.AssessmentFields{QuestionnaireID: migrations.BaselineID, Answers: answers})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.SubmitAssessment(ctx, editor, a.ID, nil); err != nil {
		f.t.Fatal(err)
	}
}

func dpa(f *register.SupplierFields) { d := "2024-02-01"; f.DPASignedAt = &d }

func TestQuarterlyReportsAcrossThreeQuarters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		clock := testdb.NewClock(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
		svc := register.New(st, clock.Now)
		f := &reportFixture{t: t, svc: svc, rep: quarterly.New(svc, st), clock: clock, ids: map[string]string{}}
		ctx := context.Background()
		for _, n := range []string{"Anchor Payroll", "Beacon Archive", "Dockside Health", "Tideway CRM", "Lighthouse Backup"} {
			f.supplier(n, "medium", dpa)
			f.holds(n, "contact_details", 5000, "customers")
			f.assess(n, false)
		}
		f.supplier("Quayside Mail", "critical", dpa, func(s *register.SupplierFields) {
			end := "2026-08-31"
			s.ContractEnd = &end
		})
		f.holds("Quayside Mail", "political_opinions", 600000, "members", "supporters")
		f.assess("Quayside Mail", true)

		// Q2: the weak membership supplier stands out.
		q2, created, err := f.rep.GenerateReport(ctx, editor, "2026-Q2", false)
		if err != nil || !created {
			t.Fatalf("Q2: %v %v", created, err)
		}
		s := q2.Snapshot
		if s.Summary.Suppliers != 6 || s.Summary.Records != 625000 || s.Summary.SpecialCategorySuppliers != 1 ||
			s.Summary.SpecialCategoryRecords != 600000 || s.Summary.FlaggedSuppliers != 1 || len(s.WeakLinks) != 1 ||
			s.WeakLinks[0].Name != "Quayside Mail" || s.Changes != nil || len(s.Trend) != 1 {
			t.Fatalf("Q2 snapshot: %+v", s.Summary)
		}
		if got := fmt.Sprint(s.Exposure.Categories[0].Key, " ", s.Exposure.Rows[len(s.Exposure.Rows)-1].Name); got != "political_opinions Tideway CRM" {
			t.Fatalf("exposure matrix: %s", got)
		}
		if len(s.Assessments.Completed) != 6 || len(s.Expiring.Contracts) != 1 || s.Expiring.Contracts[0].Name != "Quayside Mail" {
			t.Fatalf("Q2 sections: %+v %+v", s.Assessments, s.Expiring)
		}
		// Heat map rows run from the lowest inherent band up: Quayside Mail (inherent
		// above 80, posture 40) sits in the top band's 40–59 column.
		if s.Summary.Heatmap[4][2] != 1 {
			t.Fatalf("heat map %v", s.Summary.Heatmap)
		}
		if s.AuditHeadSeq == 0 || len(s.AuditHeadHash) != 64 {
			t.Fatalf("audit head %d %q", s.AuditHeadSeq, s.AuditHeadHash)
		}
		// Asking again answers the stored report; regenerate stores a new revision.
		again, created, _ := f.rep.GenerateReport(ctx, editor, "2026-Q2", false)
		if created || again.Snapshot.ID != s.ID {
			t.Fatal("the stored Q2 report was not returned")
		}

		// Q3: a new supplier, one fixed, one archived.
		clock.Advance(100 * 24 * time.Hour) // 2026-08-18
		f.supplier("Harbour Hosting", "high", dpa)
		f.holds("Harbour Hosting", "health", 1000, "members")
		f.assess("Quayside Mail", false) // backups fixed
		if err := f.svc.ArchiveSupplier(ctx, editor, f.ids["Lighthouse Backup"], nil); err != nil {
			t.Fatal(err)
		}
		q3, _, err := f.rep.GenerateReport(ctx, editor, "2026-Q3", false)
		if err != nil {
			t.Fatal(err)
		}
		ch := q3.Snapshot.Changes
		if ch == nil || ch.PreviousQuarter != "2026-Q2" || names(ch.NewSuppliers) != "Harbour Hosting" || names(ch.ExitedSuppliers) != "Lighthouse Backup" {
			t.Fatalf("Q3 changes: %+v", ch)
		}
		if len(ch.ResolvedFlags) == 0 || !strings.Contains(flagCodes(ch.ResolvedFlags), "Quayside Mail:critical_control_failed") {
			t.Fatalf("Q3 resolved flags: %v", flagCodes(ch.ResolvedFlags))
		}
		if !strings.Contains(flagCodes(ch.NewFlags), "Harbour Hosting:unassessed") {
			t.Fatalf("Q3 new flags: %v", flagCodes(ch.NewFlags))
		}

		// Q4: a posture drop.
		clock.Advance(60 * 24 * time.Hour) // 2026-10-17
		f.assess("Anchor Payroll", true)
		q4, _, err := f.rep.GenerateReport(ctx, editor, "2026-Q4", false)
		if err != nil {
			t.Fatal(err)
		}
		ch = q4.Snapshot.Changes
		if len(ch.PostureDrops) != 1 || ch.PostureDrops[0].Name != "Anchor Payroll" || ch.PostureDrops[0].From != 100 || ch.PostureDrops[0].To != 40 {
			t.Fatalf("Q4 drops: %+v", ch.PostureDrops)
		}
		if len(q4.Snapshot.Trend) != 3 || q4.Snapshot.Trend[0].Quarter != "2026-Q2" {
			t.Fatalf("trend %+v", q4.Snapshot.Trend)
		}

		// A stored report renders identical bytes every time, matching its recorded hash.
		for _, format := range report.Formats {
			a, err := f.rep.RenderReport(ctx, q2.Snapshot.ID, format)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := f.rep.RenderReport(ctx, q2.Snapshot.ID, format)
			if !bytes.Equal(a.Body, b.Body) || len(a.Body) == 0 || a.ContentType == "" || !strings.HasSuffix(a.FileName, "."+format) {
				t.Fatalf("%s renders differ", format)
			}
			if q2.Hashes[format] == "" {
				t.Fatalf("no hash recorded for %s", format)
			}
		}
		page, err := f.rep.ListReports(ctx, 2026, nil, "", 0)
		if err != nil || len(page.Items) != 3 || page.Items[0].Quarter != "2026-Q4" {
			t.Fatalf("list %+v %v", page.Items, err)
		}
		if _, _, err := f.rep.GenerateReport(ctx, editor, "2027-Q1", false); register.ErrorCode(err) != register.CodeInvalid {
			t.Fatalf("future quarter: %v", err)
		}
	})
}

func names(refs []report.SupplierRef) string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Name)
	}
	return strings.Join(out, ",")
}

func flagCodes(fs []report.FlagChange) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name+":"+f.Code)
	}
	return strings.Join(out, ",")
}

// Rendering writes nothing; the download is recorded only when the caller says the
// rendering was delivered, as one audit event naming the format.
func TestRenderingIsRecordedOnlyWhenDelivered(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		clock := testdb.NewClock(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
		svc := register.New(st, clock.Now)
		rep := quarterly.New(svc, st)
		ctx := context.Background()
		r, _, err := rep.GenerateReport(ctx, editor, "", false)
		if err != nil {
			t.Fatal(err)
		}
		downloads := func() int {
			t.Helper()
			page, err := svc.ListAudit(ctx, register.AuditFilter{Action: register.ActionDownload})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items)
		}
		if _, err := rep.RenderReport(ctx, r.Snapshot.ID, "pdf"); err != nil {
			t.Fatal(err)
		}
		if n := downloads(); n != 0 {
			t.Fatalf("rendering alone recorded %d downloads", n)
		}
		if _, err := rep.RenderReport(ctx, r.Snapshot.ID, "docx"); register.ErrorCode(err) != register.CodeInvalid {
			t.Fatalf("unknown format: %v", err)
		}
		if _, err := rep.RenderReport(ctx, "01900000-0000-7000-8000-0000000000ff", "pdf"); register.ErrorCode(err) != register.CodeNotFound {
			t.Fatalf("unknown report: %v", err)
		}
		if err := rep.RecordReportDownload(ctx, editor, r.Snapshot.ID, "pdf"); err != nil {
			t.Fatal(err)
		}
		if n := downloads(); n != 1 {
			t.Fatalf("%d downloads recorded, want 1", n)
		}
	})
}

// Reports stored at the same instant page newest quarter first, then by revision,
// and a cursor carries its position through the round trip unchanged.
func TestReportListPagesAtOneInstant(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		// 15 October: the current quarter and the one just ended can both be reported.
		clock := testdb.NewClock(time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC))
		svc := register.New(st, clock.Now)
		rep := quarterly.New(svc, st)
		ctx := context.Background()
		for _, q := range []struct {
			quarter    string
			regenerate bool
		}{{"2026-Q3", false}, {"2026-Q4", false}, {"2026-Q3", true}, {"2026-Q4", true}} {
			if _, _, err := rep.GenerateReport(ctx, editor, q.quarter, q.regenerate); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		cur := ""
		for i := 0; i < 10; i++ {
			page, err := rep.ListReports(ctx, 0, nil, cur, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				got = append(got, fmt.Sprintf("%s r%d", r.Quarter, r.Revision))
			}
			if cur = page.NextCursor; cur == "" {
				break
			}
		}
		if want := "[2026-Q4 r2 2026-Q4 r1 2026-Q3 r2 2026-Q3 r1]"; fmt.Sprint(got) != want {
			t.Fatalf("pages gave %v, want %s", got, want)
		}
	})
}
