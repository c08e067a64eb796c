package quarterly_test

import (
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
)

func newFixture(t *testing.T, st *store.Store, at time.Time) *reportFixture {
	clock := testdb.NewClock(at)
	svc := register.New(st, clock.Now)
	return &reportFixture{t: t, svc: svc, rep: quarterly.New(svc, st), clock: clock, ids: map[string]string{}}
}

// at moves the fixture's clock forward to t.
func (f *reportFixture) at(t time.Time) { f.clock.Advance(t.Sub(f.clock.Now())) }

func (f *reportFixture) generate(quarter string, regenerate bool) quarterly.Report {
	f.t.Helper()
	r, _, err := f.rep.GenerateReport(context.Background(), editor, quarter, regenerate)
	if err != nil {
		f.t.Fatalf("%s at %s: %v", quarter, f.clock.Now().Format(time.RFC3339), err)
	}
	return r
}

// storeCopy stores a copy of a stored report as a revision of quarter taken at
// asOf, as releases before generation was limited could store it (a past quarter
// labelled with a later register).
func storeCopy(t *testing.T, st *store.Store, id, quarter string, revision int, asOf time.Time) string {
	t.Helper()
	newID := fmt.Sprintf("01900000-0000-7000-8000-%012d", revision*1000+asOf.YearDay())
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		row, err := tx.GetReport(id)
		if err != nil {
			return err
		}
		var snap report.Snapshot
		if err := json.Unmarshal([]byte(row.Snapshot), &snap); err != nil {
			return err
		}
		snap.ID, snap.Quarter, snap.Revision, snap.AsOf = newID, quarter, revision, asOf
		body, _ := json.Marshal(snap)
		row.ID, row.Quarter, row.Revision, row.AsOf, row.CreatedAt, row.UpdatedAt = newID, quarter, revision, asOf, asOf, asOf
		row.Snapshot = string(body)
		return tx.InsertReport(&row)
	})
	if err != nil {
		t.Fatal(err)
	}
	return newID
}

func date(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// A report of a quarter that has not begun is invalid on the field quarter; any
// other quarter may be generated (a past one from the risk history), and asking for
// a stored quarter without regenerating answers the stored report.
func TestReportQuarterMustHaveBegun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 10, 10, 9))
		for _, q := range []string{"2026-Q3", "2026-Q4", "2026-Q2", "2025-Q1"} {
			if _, _, err := f.rep.GenerateReport(context.Background(), editor, q, false); err != nil {
				t.Errorf("%s on 10 October 2026: %v", q, err)
			}
		}
		_, _, err := f.rep.GenerateReport(context.Background(), editor, "2027-Q1", false)
		e, ok := register.AsError(err)
		if !ok || e.Code != register.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "quarter" ||
			e.Fields[0].Message != "2027-Q1 has not started yet: the current quarter is 2026-Q4" {
			t.Errorf("2027-Q1 on 10 October 2026: %+v", err)
		}
		if r, created, err := f.rep.GenerateReport(context.Background(), editor, "2026-Q3", false); err != nil || created ||
			r.Snapshot.Quarter != "2026-Q3" || r.Snapshot.Revision != 1 {
			t.Errorf("stored 2026-Q3: revision %d, created %v, %v", r.Snapshot.Revision, created, err)
		}
	})
}

// A report of a past quarter shows the register exactly as it stood at the
// quarter's end, from the risk history, however the register changed since: every
// section equals the report generated just before the quarter ended.
func TestPastQuarterReportIsTheRegisterAtTheQuarterEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, date(2026, 8, 10, 9))
		f.supplier("Anchor Payroll", "medium", dpa)
		f.holds("Anchor Payroll", "contact_details", 5000, "customers")
		f.assess("Anchor Payroll", false)
		f.supplier("Quayside Mail", "critical", dpa, func(s *register.SupplierFields) {
			s.Certifications = []register.Certification{{Scheme: "iso27001", ExpiresAt: "2026-10-02"}}
			end := "2026-11-30"
			s.ContractEnd = &end
		})
		f.holds("Quayside Mail", "political_opinions", 600000, "members", "supporters")
		f.assess("Quayside Mail", true)
		f.supplier("Harbour Print", "low")
		f.link("Quayside Mail", "Harbour Print", "political_opinions")
		f.at(date(2026, 9, 30, 20))
		live := f.generate("2026-Q3", false) // the current quarter, as the register stands

		// Q4: a new supplier, a better assessment, a holding grown, a certificate expired.
		f.at(date(2026, 10, 20, 9))
		f.supplier("Dockside Health", "high")
		f.holds("Dockside Health", "health", 1000, "patients")
		f.assess("Quayside Mail", false)
		f.holds("Anchor Payroll", "financial", 9000, "staff")
		past := f.generate("2026-Q3", true)

		a, b := live.Snapshot, past.Snapshot
		if !b.AsOf.Equal(date(2026, 10, 1, 0).Add(-time.Microsecond)) || b.DaysAfterQuarterEnd != 0 || b.Mislabelled {
			t.Fatalf("history report: as of %s, %d days after, mislabelled %v", b.AsOf, b.DaysAfterQuarterEnd, b.Mislabelled)
		}
		for _, sec := range []struct {
			name string
			x, y any
		}{
			{"summary", a.Summary, b.Summary}, {"suppliers", a.Suppliers, b.Suppliers}, {"weak links", a.WeakLinks, b.WeakLinks},
			{"exposure", a.Exposure, b.Exposure}, {"assessments", a.Assessments, b.Assessments}, {"incidents", a.Incidents, b.Incidents},
			{"expiring", a.Expiring, b.Expiring}, {"accepted", a.Accepted, b.Accepted},
		} {
			x, _ := json.Marshal(sec.x)
			y, _ := json.Marshal(sec.y)
			if string(x) != string(y) {
				t.Errorf("%s differs:\nat the quarter's end %s\nfrom history        %s", sec.name, x, y)
			}
		}
		if a.Summary.Suppliers != 3 || len(a.WeakLinks) == 0 {
			t.Fatalf("the compared report is too thin to prove anything: %+v", a.Summary)
		}
		now := f.generate("2026-Q4", false)
		if now.Snapshot.Summary.Suppliers != 4 {
			t.Fatalf("the current quarter shows %d suppliers, want 4", now.Snapshot.Summary.Suppliers)
		}
		_ = ctx
	})
}

// A quarter that ended before the risk history began (the figures were first built
// after an upgrade) cannot be reported: the message says when the history begins.
func TestPastQuarterBeforeTheHistoryIsInvalid(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 8, 10, 9))
		f.supplier("Anchor Payroll", "medium", dpa)
		testdb.Exec(t, st, "UPDATE risk_projection SET built = FALSE")
		f.at(date(2026, 10, 20, 9))
		if _, err := f.svc.BuildRiskIfNeeded(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.rep.GenerateReport(context.Background(), editor, "2026-Q3", false)
		e, ok := register.AsError(err)
		if !ok || e.Code != register.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "quarter" ||
			!strings.Contains(e.Fields[0].Message, "ended before the risk history began (20 October 2026 09:00 UTC") {
			t.Fatalf("Q3 before the history: %+v", err)
		}
		f.generate("2026-Q4", false)
	})
}

// A report of the quarter just ended, generated 10 days after it, describes the
// quarter's end; the next quarter's report compares with it, not with an older one;
// a mislabelled revision (as earlier releases could store) is flagged, and never
// compared with.
func TestLateReportIsComparedWithAndMislabelledOnesAreNot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, date(2026, 5, 10, 9))
		f.supplier("Anchor Payroll", "medium", dpa)
		f.holds("Anchor Payroll", "contact_details", 5000, "customers")
		f.generate("2026-Q2", false)

		f.at(date(2026, 10, 10, 9))
		f.supplier("Harbour Hosting", "high", dpa)
		q3 := f.generate("2026-Q3", false) // from the history, as of the quarter's end
		s := q3.Snapshot
		if s.DaysAfterQuarterEnd != 0 || s.Mislabelled || !s.AsOf.Equal(date(2026, 10, 1, 0).Add(-time.Microsecond)) {
			t.Fatalf("Q3 on 10 October: %d days after, mislabelled %v, as of %s", s.DaysAfterQuarterEnd, s.Mislabelled, s.AsOf)
		}
		if s.Summary.Suppliers != 1 {
			t.Fatalf("Q3 from the history shows %d suppliers, want 1 (Harbour Hosting came in Q4)", s.Summary.Suppliers)
		}
		// A copy of Q3 taken on 20 November, as an earlier release could store it.
		bad := storeCopy(t, st, s.ID, "2026-Q3", 2, date(2026, 11, 20, 9))

		f.at(date(2026, 11, 30, 9))
		f.supplier("Dockside Health", "low", dpa)
		q4 := f.generate("2026-Q4", false)
		ch := q4.Snapshot.Changes
		if ch == nil || ch.PreviousID != s.ID || ch.PreviousQuarter != "2026-Q3" || names(ch.NewSuppliers) != "Dockside Health,Harbour Hosting" {
			t.Fatalf("Q4 changes: %+v, want against %s with Dockside Health and Harbour Hosting new", ch, s.ID)
		}
		if q4.Snapshot.DaysAfterQuarterEnd != 0 || q4.Snapshot.NoComparison != "" {
			t.Fatalf("Q4: %d days after, no comparison %q", q4.Snapshot.DaysAfterQuarterEnd, q4.Snapshot.NoComparison)
		}

		page, err := f.rep.ListReports(ctx, 0, nil, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		flagged := map[string]bool{}
		for _, r := range page.Items {
			flagged[fmt.Sprintf("%s r%d", r.Quarter, r.Revision)] = r.Mislabelled
		}
		if want := map[string]bool{"2026-Q2 r1": false, "2026-Q3 r1": false, "2026-Q3 r2": true, "2026-Q4 r1": false}; fmt.Sprint(flagged) != fmt.Sprint(want) {
			t.Fatalf("mislabelled in the list: %v, want %v", flagged, want)
		}
		got, err := f.rep.GetReport(ctx, bad)
		if err != nil || !got.Snapshot.Mislabelled || got.Snapshot.DaysAfterQuarterEnd != 51 {
			t.Fatalf("stored mislabelled report: %v, %d days (%v)", got.Snapshot.Mislabelled, got.Snapshot.DaysAfterQuarterEnd, err)
		}
		csv, err := f.rep.RenderReport(ctx, bad, "csv")
		if err != nil || !strings.Contains(string(csv.Body), "Warning: mislabelled. Generated on 20 November 2026, 51 days after 2026-Q3 ended") {
			t.Fatalf("mislabelled csv lacks the warning (%v)", err)
		}
	})
}

// Without a usable report of the quarter just before, there are no changes, and
// the report says why: none stored (an older quarter is not compared with), or
// only mislabelled ones.
func TestNoReportOfThePrecedingQuarter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 5, 10, 9))
		q2 := f.generate("2026-Q2", false)
		f.at(date(2026, 11, 30, 9))
		q4 := f.generate("2026-Q4", false)
		if q4.Snapshot.Changes != nil || q4.Snapshot.NoComparison != "No report of 2026-Q3 is stored: nothing to compare with." {
			t.Fatalf("Q4 without Q3: changes %+v, %q", q4.Snapshot.Changes, q4.Snapshot.NoComparison)
		}
		// Only a mislabelled Q3: still nothing to compare with, and the report says why.
		storeCopy(t, st, q2.Snapshot.ID, "2026-Q3", 1, date(2026, 11, 20, 9))
		q4 = f.generate("2026-Q4", true)
		if q4.Snapshot.Changes != nil || !strings.HasPrefix(q4.Snapshot.NoComparison, "The stored reports of 2026-Q3 are mislabelled") {
			t.Fatalf("Q4 with a mislabelled Q3: changes %+v, %q", q4.Snapshot.Changes, q4.Snapshot.NoComparison)
		}
	})
}

// The trend follows the as-of times of the stored reports, not their quarters'
// labels (a report stored by an earlier release may describe a later moment than
// its label), and leaves mislabelled reports out.
func TestTrendIsOrderedByAsOf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 6, 1, 9))
		q2 := f.generate("2026-Q2", false)
		f.at(date(2026, 7, 10, 9))
		f.generate("2026-Q3", false)
		// An earlier release regenerated the just-ended quarter after Q3's first report,
		// describing the register of 20 July.
		storeCopy(t, st, q2.Snapshot.ID, "2026-Q2", 2, date(2026, 7, 20, 9))
		storeCopy(t, st, q2.Snapshot.ID, "2026-Q2", 3, date(2026, 8, 5, 9)) // mislabelled: 36 days after Q2 ended
		f.at(date(2026, 10, 5, 9))
		q4 := f.generate("2026-Q4", false)
		var got []string
		for _, p := range q4.Snapshot.Trend {
			got = append(got, p.Quarter)
		}
		if fmt.Sprint(got) != "[2026-Q3 2026-Q2 2026-Q4]" {
			t.Fatalf("trend %v, want Q3 (10 July), Q2 (20 July), then this Q4", got)
		}
	})
}

// link records that from passes the categories to to, authorised.
func (f *reportFixture) link(from, to string, categories ...string) {
	f.t.Helper()
	authorised := "2025-01-01"
	if _, err := f.svc.CreateLink(context.Background(), editor, f.ids[from], register.LinkFields{SubprocessorID: f.ids[to],
		Categories: categories, AuthorisedAt: &authorised}); err != nil {
		f.t.Fatal(err)
	}
}

// A date that passed with no read or refresh before a write is recorded at its own
// moment, and the write at the write's: a past quarter's report shows neither the
// write made after the quarter nor misses the date passed in it.
func TestPastQuarterReportSeparatesADatePassedFromALaterWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 9, 10, 9))
		f.supplier("Quayside Mail", "high", dpa, func(s *register.SupplierFields) {
			s.Certifications = []register.Certification{{Scheme: "iso27001", ExpiresAt: "2026-09-20"}}
		})
		f.holds("Quayside Mail", "contact_details", 5000, "customers")
		f.assess("Quayside Mail", false)
		// No read and no refresh between the expiry (from 21 September) and a write in Q4.
		f.at(date(2026, 10, 5, 9))
		f.holds("Quayside Mail", "political_opinions", 900000, "members")
		q3 := f.generate("2026-Q3", false).Snapshot
		if q3.Summary.Records != 5000 {
			t.Fatalf("Q3 shows %d records; the 900,000 were added on 5 October", q3.Summary.Records)
		}
		if len(q3.Suppliers) != 1 || !hasFlagLine(q3.Suppliers[0].Flags, "certification_expired") {
			t.Fatalf("Q3 misses the certificate that expired on 20 September: %+v", q3.Suppliers)
		}
	})
}

func hasFlagLine(fs []report.FlagLine, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}
