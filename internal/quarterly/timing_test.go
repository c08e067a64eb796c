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

// A new report or revision is of the current quarter, or of the one just ended
// within 31 days of its end; anything else is invalid on the field quarter, with a
// message naming the quarters allowed.
func TestReportQuarterMustBeCurrentOrJustEnded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 10, 10, 9))
		for _, tc := range []struct {
			now        time.Time
			quarter    string
			regenerate bool
			want       string // "" when allowed: the message's parts otherwise
			wantNot    string
		}{
			{date(2026, 10, 10, 9), "2026-Q3", false, "", ""},
			{date(2026, 10, 10, 9), "2026-Q4", false, "", ""},
			{date(2026, 10, 10, 9), "2026-Q2", false, "must be 2026-Q4 (the current quarter) or 2026-Q3 (ended 10 days ago, " +
				"allowed until 31 October 2026): 2026-Q2 is over.", ""},
			{date(2026, 10, 10, 9), "2027-Q1", false, "must be 2026-Q4 (the current quarter) or 2026-Q3 (ended 10 days ago, " +
				"allowed until 31 October 2026): 2027-Q1 has not started yet.", ""},
			{date(2026, 10, 31, 23), "2026-Q3", true, "", ""},
			{date(2026, 11, 1, 0), "2026-Q3", true, "must be 2026-Q4 (the current quarter): 2026-Q3 ended 32 days ago, more than 31 days ago.", "or 2026-Q3"},
			// The example of the issue: on 30 November only 2026-Q4 can be generated.
			{date(2026, 11, 30, 9), "2026-Q3", true, "must be 2026-Q4 (the current quarter): 2026-Q3 ended 61 days ago, more than 31 days ago. " +
				"A report shows the register as it stands when it is generated", "or 2026-Q3"},
			{date(2026, 11, 30, 9), "2026-Q4", false, "", ""},
		} {
			f.at(tc.now)
			_, _, err := f.rep.GenerateReport(context.Background(), editor, tc.quarter, tc.regenerate)
			if tc.want == "" {
				if err != nil {
					t.Errorf("%s on %s: %v", tc.quarter, tc.now.Format(time.DateOnly), err)
				}
				continue
			}
			e, ok := register.AsError(err)
			if !ok || e.Code != register.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "quarter" ||
				!strings.Contains(e.Fields[0].Message, tc.want) || (tc.wantNot != "" && strings.Contains(e.Fields[0].Message, tc.wantNot)) {
				t.Errorf("%s on %s: %+v, want quarter: %q", tc.quarter, tc.now.Format(time.DateOnly), err, tc.want)
			}
		}
		// Asking for a stored quarter without regenerating still answers the stored report.
		if r, created, err := f.rep.GenerateReport(context.Background(), editor, "2026-Q3", false); err != nil || created ||
			r.Snapshot.Quarter != "2026-Q3" || r.Snapshot.Revision != 2 {
			t.Errorf("stored 2026-Q3: revision %d, created %v, %v", r.Snapshot.Revision, created, err)
		}
	})
}

// A report of the quarter just ended, generated 10 days after it, is allowed and
// says so; the next quarter's report compares with it, not with an older one; a
// mislabelled revision is flagged, and never compared with.
func TestLateReportIsComparedWithAndMislabelledOnesAreNot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, date(2026, 5, 10, 9))
		f.supplier("Anchor Payroll", "medium", dpa)
		f.holds("Anchor Payroll", "contact_details", 5000, "customers")
		f.generate("2026-Q2", false)

		f.at(date(2026, 10, 10, 9))
		f.supplier("Harbour Hosting", "high", dpa)
		q3 := f.generate("2026-Q3", false)
		s := q3.Snapshot
		if s.DaysAfterQuarterEnd != 10 || s.Mislabelled || !s.AsOf.Equal(date(2026, 10, 10, 9)) {
			t.Fatalf("Q3 on 10 October: %d days after, mislabelled %v, as of %s", s.DaysAfterQuarterEnd, s.Mislabelled, s.AsOf)
		}
		html, err := f.rep.RenderReport(ctx, s.ID, "html")
		if err != nil || !strings.Contains(string(html.Body), "Generated on 10 October 2026, 10 days after the quarter ended") {
			t.Fatalf("Q3 html lacks the note (%v)", err)
		}
		// A copy of Q3 taken on 20 November, as an earlier release could store it.
		bad := storeCopy(t, st, s.ID, "2026-Q3", 2, date(2026, 11, 20, 9))

		f.at(date(2026, 11, 30, 9))
		f.supplier("Dockside Health", "low", dpa)
		q4 := f.generate("2026-Q4", false)
		ch := q4.Snapshot.Changes
		if ch == nil || ch.PreviousID != s.ID || ch.PreviousQuarter != "2026-Q3" || names(ch.NewSuppliers) != "Dockside Health" {
			t.Fatalf("Q4 changes: %+v, want against %s with Dockside Health new", ch, s.ID)
		}
		if q4.Snapshot.DaysAfterQuarterEnd != 0 || q4.Snapshot.NoComparison != "" {
			t.Fatalf("Q4: %d days after, no comparison %q", q4.Snapshot.DaysAfterQuarterEnd, q4.Snapshot.NoComparison)
		}

		page, err := f.rep.ListReports(ctx, 0, "", 0)
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
// labels, and leaves mislabelled reports out.
func TestTrendIsOrderedByAsOf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, date(2026, 6, 1, 9))
		q2 := f.generate("2026-Q2", false)
		f.at(date(2026, 7, 10, 9))
		f.generate("2026-Q3", false)
		f.at(date(2026, 7, 20, 9))
		f.generate("2026-Q2", true)                                         // the just-ended quarter, regenerated after Q3's first report
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
