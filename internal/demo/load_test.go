package demo_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/demo"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// secretColumns are the columns of an api_keys or invitations row in a dump that
// come from its secret.
var secretColumns = regexp.MustCompile(`secret_(hash|prefix)=[^|]*\|`)

// loadDay is a load date in the middle of a quarter (2026-Q4).
var loadDay = time.Date(2026, 11, 30, 15, 4, 5, 0, time.UTC)

func load(t *testing.T, st *store.Store, at time.Time) demo.Loaded {
	t.Helper()
	out, err := demo.Load(context.Background(), st, func(c register.Clock) *register.Service { return register.New(st, c) }, at)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The same load date gives the same rows in every table, ids, times, stored reports
// and audit hashes included, whatever the time of day; another date gives other ids.
func TestDemoLoadIsTheSameForTheSameDay(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			a, b, c := testdb.Open(t, d), testdb.Open(t, d), testdb.Open(t, d)
			load(t, a, loadDay)
			load(t, b, loadDay.Add(8*time.Hour)) // later the same day
			load(t, c, loadDay.AddDate(0, 0, 1))
			da, db, dc := dump(t, a), dump(t, b), dump(t, c)
			for _, d := range []map[string][]string{da, db} { // the team's and the link's secrets are random
				for _, table := range []string{"api_keys", "invitations"} {
					for i, row := range d[table] {
						d[table][i] = secretColumns.ReplaceAllString(row, "")
					}
					slices.Sort(d[table])
				}
			}
			for table, rows := range da {
				if !slices.Equal(rows, db[table]) {
					t.Errorf("%s differs between two loads on the same day (%d and %d rows)", table, len(rows), len(db[table]))
				}
			}
			if len(da["api_keys"]) != 3 {
				t.Errorf("%d API keys, want the team's three", len(da["api_keys"]))
			}
			if len(da["suppliers"]) != 40 || len(da["reports"]) != 3 || len(da["demo_register"]) != 1 || len(da["invitations"]) != 1 {
				t.Fatalf("%d suppliers, %d reports, %d marks, %d invitations", len(da["suppliers"]), len(da["reports"]),
					len(da["demo_register"]), len(da["invitations"]))
			}
			if slices.Equal(da["suppliers"], dc["suppliers"]) {
				t.Error("another day gave the same suppliers")
			}
		})
	}
}

// The demo holds what the product is about: a ranked weak link that is the IT
// supplier keeping no offline backups, with an open incident, trailing the rest; a
// printing-house sub-processor nobody assessed, three links down; expired and
// current certifications; an accepted flag; one assessment awaiting review; and the
// reports of the two quarters before the current one, as the register stood at
// their ends, and of the current one.
func TestDemoTellsTheStory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loaded := load(t, st, loadDay)
		svc := register.New(st, func() time.Time { return loadDay })

		// One questionnaire link is open, to the data-cleansing firm being onboarded,
		// and its link opens the draft.
		invs, err := svc.ListInvitations(ctx, register.InvitationFilter{Limit: 10})
		if err != nil || len(invs.Items) != 1 || invs.Items[0].Status != "sent" || invs.Items[0].Overdue {
			t.Fatalf("invitations: %+v (%v)", invs.Items, err)
		}
		inv, token, err := svc.OpenPortalLink(ctx, strings.TrimPrefix(loaded.InvitationLink, "/portal/i/"), register.Actor{})
		if err != nil || token == "" || inv.ContactEmail != "security@lattice-data-cleansing.example" {
			t.Fatalf("the demo's link %q: %+v (%v)", loaded.InvitationLink, inv, err)
		}
		if view, err := svc.GetPortalView(ctx, inv.ID); err != nil || view.SupplierName != "Lattice Data Cleansing" || view.Status != "draft" {
			t.Fatalf("the demo's link shows %+v (%v)", view, err)
		}

		wl, err := svc.WeakLinks(ctx, register.WeakLinkFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		flagsOf := map[string][]string{}
		var order []string
		for _, it := range wl.Items {
			order = append(order, it.Supplier.Name)
			for _, f := range it.Flags {
				code := f.Code
				if f.Accepted != nil {
					code += " (accepted)"
				}
				flagsOf[it.Supplier.Name] = append(flagsOf[it.Supplier.Name], code)
			}
		}
		want := map[string][]string{
			"Cobalt IT Services":         {"weak_posture", "trails_portfolio", "critical_control_failed", "special_category_exposure", "open_incident"},
			"Ashgrove Print & Post":      {"unassessed", "special_category_exposure", "inherited_weakness", "certification_expired"},
			"Quillfeather Mail":          {"inherited_weakness"},
			"Greenleaf Canvassing App":   {"weak_posture", "critical_control_failed"},
			"Lattice Data Cleansing":     {"unassessed", "unauthorised_subprocessor"},
			"Gatehouse Tickets":          {"no_dpa (accepted)"},
			"Harbourside Contact Centre": {"certification_expired"},
			"Metric Lane Analytics":      {"unsafeguarded_transfer"},
			"Nimbus Cloud Hosting":       {"concentration"},
		}
		for name, codes := range want {
			for _, c := range codes {
				if !slices.Contains(flagsOf[name], c) {
					t.Errorf("%s: flags %v, want %s among them", name, flagsOf[name], c)
				}
			}
		}
		if len(order) < 2 || !slices.Contains(order[:2], "Cobalt IT Services") || !slices.Contains(order[:2], "Ashgrove Print & Post") {
			t.Errorf("weak links ranked %v: want the IT supplier and the unassessed printing house first", order)
		}

		db := rawDB(t, st)
		count := func(query string) int {
			t.Helper()
			var n int
			if err := db.QueryRow(query).Scan(&n); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return n
		}
		if n := count("SELECT count(*) FROM suppliers"); n != 40 {
			t.Errorf("%d suppliers, want 40", n)
		}
		if n := count("SELECT count(*) FROM assessments WHERE status = 'submitted'"); n != 1 {
			t.Errorf("%d assessments awaiting review, want 1", n)
		}
		if n := count("SELECT count(*) FROM assessments WHERE status = 'rejected'"); n != 1 {
			t.Errorf("%d rejected assessments, want 1", n)
		}
		if n := count("SELECT count(*) FROM incidents WHERE status = 'open'"); n != 1 {
			t.Errorf("%d open incidents, want 1", n)
		}
		if n := count("SELECT count(*) FROM suppliers WHERE status = 'exited'"); n != 1 {
			t.Errorf("%d exited suppliers, want 1", n)
		}

		// The IT supplier keeps no offline backups, and the open incident is there.
		it := supplierNamed(t, svc, "Cobalt IT Services")
		as, err := svc.ListAssessments(ctx, it.ID, nil, "", 10)
		if err != nil || len(as.Items) != 1 || as.Items[0].Answers["offline_backups"] != "no" {
			t.Fatalf("IT supplier's assessments: %+v, %v", as.Items, err)
		}
		in, err := svc.GetIncident(ctx, loaded.OpenIncident)
		if err != nil || in.SupplierID != it.ID || in.Status != "open" {
			t.Fatalf("open incident %s: %+v, %v", loaded.OpenIncident, in, err)
		}

		// Chains two and three links deep: email service → printing house → mailing house.
		flows, _, err := svc.DataFlows(ctx, supplierNamed(t, svc, "Kestrel Mailing House").ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		deepest := 0
		for _, c := range flows.Categories {
			for _, o := range c.ReceivedFrom {
				deepest = max(deepest, len(o.Path)-1)
			}
		}
		if deepest < 3 {
			t.Errorf("the mailing house receives through at most %d links, want 3", deepest)
		}

		// Reports, newest first: 2026-Q4 as at the load date, 2026-Q3 and 2026-Q2 as at their ends.
		var quarters []string
		for _, r := range loaded.Reports {
			quarters = append(quarters, r.Quarter+" "+r.AsOf.Format(time.RFC3339))
		}
		if want := []string{"2026-Q4 2026-11-30T00:00:00Z", "2026-Q3 2026-09-30T23:59:59Z", "2026-Q2 2026-06-30T23:59:59Z"}; !slices.Equal(quarters, want) {
			t.Errorf("reports %v, want %v", quarters, want)
		}
		rep, err := quarterly.New(svc, st).GetReport(ctx, loaded.CurrentReport)
		if err != nil || rep.Snapshot.Quarter != "2026-Q4" || rep.Snapshot.Changes == nil || len(rep.Snapshot.Trend) != 3 {
			t.Fatalf("current report: %+v %v", rep.Snapshot.Changes, err)
		}
		// Who did what: the procurement team recorded and submitted, the security
		// reviewer reviewed, the data protection officer accepted the risk.
		if n := count("SELECT count(*) FROM assessments a JOIN api_keys k ON k.id = a.reviewed_by WHERE k.name = 'security-reviewer'"); n < 40 {
			t.Errorf("%d assessments reviewed by the security reviewer's key", n)
		}
		if n := count("SELECT count(*) FROM risk_acceptances r JOIN api_keys k ON k.id = r.accepted_by WHERE k.name = 'data-protection-officer'"); n != 1 {
			t.Errorf("%d acceptances by the data protection officer's key", n)
		}
		if n := count("SELECT count(*) FROM audit_events WHERE actor_name = 'procurement-team'"); n < 100 {
			t.Errorf("%d events by the procurement team", n)
		}
		if mark, marked, n, err := demo.MarkOf(ctx, st); err != nil || !marked || !mark.Complete || n != 40 ||
			mark.ContentVersion != demo.ContentVersion || !mark.AsOf.Equal(loadDay.Truncate(24*time.Hour)) {
			t.Fatalf("mark %+v %v %d %v", mark, marked, n, err)
		}
		if _, err := svc.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit trail: %v", err)
		}
	})
}

// The demo loads only into a database with no suppliers: a second load is
// ErrAlreadyLoaded and one into another register ErrNotDemo, neither writing
// anything.
func TestDemoLoadRefusesARegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		newSvc := func(c register.Clock) *register.Service { return register.New(st, c) }
		load(t, st, loadDay)
		before := dump(t, st)
		if _, err := demo.Load(ctx, st, newSvc, loadDay); !errors.Is(err, demo.ErrAlreadyLoaded) {
			t.Fatalf("second load: %v", err)
		}
		if after := dump(t, st); !equalDumps(before, after) {
			t.Error("a refused load changed the database")
		}

		other := testdb.Open(t, st.Dialect())
		svc := register.New(other, func() time.Time { return loadDay })
		if _, err := svc.CreateSupplier(ctx, register.SystemActor("test"), register.SupplierFields{Name: "Real Supplier Ltd",
			Criticality: "low", Status: "active"}); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, other, func(c register.Clock) *register.Service { return register.New(other, c) }, loadDay); !errors.Is(err, demo.ErrNotDemo) {
			t.Fatalf("load into a register: %v", err)
		}
		if _, marked, n, err := demo.MarkOf(ctx, other); err != nil || marked || n != 1 {
			t.Fatalf("after the refusal: marked %v, %d suppliers, %v", marked, n, err)
		}
	})
}

// On the first days of a quarter the reports of the two quarters before it are still
// as at their ends (from the risk history), even when the load date comes before
// the usual three days after the end; the current one is as at the load date.
func TestDemoLoadAtTheStartOfAQuarter(t *testing.T) {
	end := func(y int, m time.Month) string {
		return time.Date(y, m, 1, 0, 0, 0, -1000, time.UTC).Format(time.RFC3339Nano)
	}
	for _, tc := range []struct {
		day  time.Time
		want []string
	}{
		{time.Date(2027, 1, 1, 6, 0, 0, 0, time.UTC), []string{"2027-Q1 2027-01-01T00:00:00Z", "2026-Q4 " + end(2027, 1), "2026-Q3 " + end(2026, 10)}},
		{time.Date(2026, 4, 2, 6, 0, 0, 0, time.UTC), []string{"2026-Q2 2026-04-02T00:00:00Z", "2026-Q1 " + end(2026, 4), "2025-Q4 " + end(2026, 1)}},
		{time.Date(2026, 7, 4, 6, 0, 0, 0, time.UTC), []string{"2026-Q3 2026-07-04T00:00:00Z", "2026-Q2 " + end(2026, 7), "2026-Q1 " + end(2026, 4)}},
	} {
		t.Run(tc.day.Format(time.DateOnly), func(t *testing.T) {
			loaded := load(t, testdb.Open(t, store.SQLite), tc.day)
			var got []string
			for _, r := range loaded.Reports {
				got = append(got, r.Quarter+" "+r.AsOf.Format(time.RFC3339Nano))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("reports %v, want %v", got, tc.want)
			}
		})
	}
}

// A load that did not finish leaves its mark incomplete: loading again, or serving
// the demo, is refused as ErrIncomplete rather than taken for another register or
// for the demo; so is a load racing another on the same database. A load date before
// EarliestLoadDate is refused before anything is written.
func TestDemoLoadThatDidNotFinish(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		newSvc := func(c register.Clock) *register.Service { return register.New(st, c) }
		if _, err := demo.Load(ctx, st, newSvc, time.Date(2001, 12, 31, 0, 0, 0, 0, time.UTC)); err == nil ||
			!strings.Contains(err.Error(), "2002-01-01 or later") {
			t.Fatalf("a load date of 2001: %v", err)
		}
		if _, marked, n, err := demo.MarkOf(ctx, st); err != nil || marked || n != 0 {
			t.Fatalf("a refused date wrote: marked %v, %d suppliers, %v", marked, n, err)
		}
		stopped, stop := context.WithCancel(ctx)
		var once sync.Once
		stopping := func(c register.Clock) *register.Service {
			return register.New(st, func() time.Time {
				t := c()
				if t.After(loadDay.AddDate(0, 0, -300)) { // part of the way through the history
					once.Do(stop)
				}
				return t
			})
		}
		if _, err := demo.Load(stopped, st, stopping, loadDay); !errors.Is(err, context.Canceled) {
			t.Fatalf("a stopped load: %v", err)
		}
		mark, marked, n, err := demo.MarkOf(ctx, st)
		if err != nil || !marked || mark.Complete || n == 0 || n == 40 {
			t.Fatalf("after the stopped load: %+v marked %v, %d suppliers, %v", mark, marked, n, err)
		}
		if _, err := demo.Load(ctx, st, newSvc, loadDay); !errors.Is(err, demo.ErrIncomplete) {
			t.Fatalf("loading again: %v", err)
		}
	})
}

func supplierNamed(t *testing.T, svc *register.Service, name string) register.Supplier {
	t.Helper()
	page, err := svc.ListSuppliers(context.Background(), register.SupplierFilter{Q: name, Limit: 10, IncludeArchived: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Items {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no supplier named %s", name)
	return register.Supplier{}
}

func equalDumps(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
