package demo_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/demo"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var now = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func generate(t *testing.T, st *store.Store, n int, seed uint64) demo.Summary {
	t.Helper()
	sum, err := demo.Generate(context.Background(), st, func(c register.Clock) *register.Service { return register.New(st, c) },
		demo.Options{Suppliers: n, Seed: seed, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func rawDB(t *testing.T, st *store.Store) *sql.DB {
	t.Helper()
	db, err := testdb.RawDB(st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// dump returns every row of every table but the migrations' own (which records when
// each migration ran), each table's rows as sorted lines.
func dump(t *testing.T, st *store.Store) map[string][]string {
	t.Helper()
	tables, err := st.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, st)
	out := map[string][]string{}
	for _, table := range tables {
		if table == store.MigrationTable {
			continue
		}
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%s=%v|", cols[i], v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

// The same count, seed and time give the same rows in every table, ids, times and
// audit hashes included, on each kind of database; another seed gives another
// register.
func TestGenerateIsDeterministic(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			a, b, c := testdb.Open(t, d), testdb.Open(t, d), testdb.Open(t, d)
			generate(t, a, 40, 42)
			generate(t, b, 40, 42)
			generate(t, c, 40, 43)
			da, db, dc := dump(t, a), dump(t, b), dump(t, c)
			if len(da["suppliers"]) != 40 || len(da["audit_events"]) == 0 {
				t.Fatalf("%d suppliers, %d audit events", len(da["suppliers"]), len(da["audit_events"]))
			}
			for table, rows := range da {
				if !slices.Equal(rows, db[table]) {
					t.Errorf("%s differs between two runs with the same seed (%d and %d rows)", table, len(rows), len(db[table]))
				}
			}
			for _, table := range []string{"suppliers", "data_holdings", "subprocessor_links", "assessments", "audit_events"} {
				if slices.Equal(da[table], dc[table]) {
					t.Errorf("%s is the same with another seed", table)
				}
			}
		})
	}
}

// At a small size the register keeps its shape: about five holdings and two links
// per supplier, 2 % hubs receiving 60 % of the links, chains four to six links deep
// and at least one loop, links naming categories the passing supplier has in its
// care, 70 % assessed (a few awaiting review), special-category data, expired and
// current certifications, mostly signed DPAs, open and closed incidents; and the
// audit trail verifies.
func TestGenerateShape(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		const n = 200
		sum := generate(t, st, n, 7)
		db := rawDB(t, st)
		count := func(query string) int {
			t.Helper()
			var v int
			if err := db.QueryRow(query).Scan(&v); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return v
		}
		between := func(what string, got int, lo, hi float64) {
			t.Helper()
			if float64(got) < lo || float64(got) > hi {
				t.Errorf("%s: %d, want %v to %v", what, got, lo, hi)
			}
		}
		if got := count("SELECT count(*) FROM suppliers"); got != n || sum.Suppliers != n {
			t.Fatalf("%d suppliers (summary %d), want %d", got, sum.Suppliers, n)
		}
		holdings := count("SELECT count(*) FROM data_holdings")
		between("holdings", holdings, 4*n, 6*n)
		links := count("SELECT count(*) FROM subprocessor_links")
		between("links", links, 1.8*n, 2*n)
		if holdings != sum.Holdings || links != sum.Links {
			t.Errorf("summary %+v, stored %d holdings and %d links", sum, holdings, links)
		}

		g := readGraph(t, db)
		// Hubs: the 2 % of suppliers that receive the most links receive about 60 %.
		in := map[string]int{}
		for _, l := range g.links {
			in[l.to]++
		}
		var degrees []int
		for _, d := range in {
			degrees = append(degrees, d)
		}
		slices.Sort(degrees)
		slices.Reverse(degrees)
		top := 0
		for _, d := range degrees[:n*2/100] {
			top += d
		}
		between("links into the top 2 % of suppliers (percent)", top*100/links, 55, 65)
		if depth := g.maxDepth(); depth < 4 || depth > 6 {
			t.Errorf("deepest chain: %d links, want 4 to 6", depth)
		}
		if !g.hasCycle() {
			t.Error("no loop of sub-processors")
		}
		for _, l := range g.links {
			for _, c := range l.cats {
				if !g.inCare(l.from, c) {
					t.Fatalf("link %s → %s names %s, which %s does not have in its care", l.from, l.to, c, l.from)
				}
			}
		}

		assessed := count("SELECT count(DISTINCT supplier_id) FROM assessments WHERE status IN ('submitted', 'approved')")
		between("suppliers assessed", assessed, 0.65*n, 0.75*n)
		if awaiting := count("SELECT count(*) FROM assessments WHERE status = 'submitted'"); awaiting == 0 ||
			awaiting > count("SELECT count(*) FROM assessments WHERE status = 'approved'")/4 {
			t.Errorf("%d assessments awaiting review: want a few", awaiting)
		}
		if weak, strong := count("SELECT count(*) FROM assessments WHERE score < 50"), count("SELECT count(*) FROM assessments WHERE score >= 75"); weak == 0 || strong == 0 {
			t.Errorf("scores: %d weak, %d strong; want both", weak, strong)
		}
		for _, cat := range []string{"political_opinions", "health", "contact_details"} {
			if count("SELECT count(*) FROM data_holdings WHERE category_key = '"+cat+"'") == 0 {
				t.Errorf("nobody holds %s", cat)
			}
		}
		if count("SELECT count(*) FROM data_holdings WHERE data_subjects LIKE '%members%'") == 0 {
			t.Error("no holding about members")
		}
		for _, crit := range register.Criticalities {
			if count("SELECT count(*) FROM suppliers WHERE criticality = '"+crit+"'") == 0 {
				t.Errorf("no %s supplier", crit)
			}
		}
		holders := count("SELECT count(DISTINCT supplier_id) FROM data_holdings")
		between("holders with a signed DPA", count(`SELECT count(*) FROM suppliers WHERE dpa_signed_at IS NOT NULL
			AND id IN (SELECT supplier_id FROM data_holdings)`), 0.75*float64(holders), 0.97*float64(holders))
		if count("SELECT count(*) FROM subprocessor_links WHERE authorised_at IS NULL") == 0 ||
			count("SELECT count(*) FROM subprocessor_links WHERE record_count IS NOT NULL") == 0 {
			t.Error("want some unauthorised links and some with a record cap")
		}
		if count("SELECT count(*) FROM incidents WHERE status = 'open'") == 0 || count("SELECT count(*) FROM incidents WHERE status = 'closed'") == 0 {
			t.Error("want open and closed incidents")
		}
		today := now.Format(time.DateOnly)
		var expired, current bool
		rows, err := db.Query("SELECT certifications FROM suppliers")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var certs string
			if err := rows.Scan(&certs); err != nil {
				t.Fatal(err)
			}
			for _, part := range strings.Split(certs, `"expires_at":"`)[1:] {
				expired, current = expired || part[:10] < today, current || part[:10] >= today
			}
		}
		_ = rows.Close()
		if !expired || !current {
			t.Errorf("certifications: expired %v, current %v; want both", expired, current)
		}

		svc := register.New(st, func() time.Time { return now })
		if _, err := svc.VerifyAudit(context.Background()); err != nil {
			t.Errorf("audit trail: %v", err)
		}
		page, err := svc.WeakLinks(context.Background(), register.WeakLinkFilter{Limit: 10})
		if err != nil || len(page.Items) == 0 {
			t.Errorf("weak links: %d, %v", len(page.Items), err)
		}
	})
}

// A register with a supplier, even an archived one, is refused, and nothing is written.
func TestGenerateRefusesANonEmptyRegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := register.New(st, func() time.Time { return now })
		s, err := svc.CreateSupplier(ctx, register.SystemActor("test"), register.SupplierFields{Name: "Quayside Mail", Criticality: "high"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ArchiveSupplier(ctx, register.SystemActor("test"), s.ID, nil); err != nil {
			t.Fatal(err)
		}
		before := dump(t, st)
		_, err = demo.Generate(ctx, st, func(c register.Clock) *register.Service { return register.New(st, c) },
			demo.Options{Suppliers: 20, Seed: 1, Now: now})
		if !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("got %v, want ErrNotEmpty", err)
		}
		after := dump(t, st)
		for table, rows := range before {
			if !slices.Equal(rows, after[table]) {
				t.Errorf("%s changed", table)
			}
		}
	})
}

// Too few or too many suppliers is refused before the database is touched.
func TestGenerateChecksTheCount(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	for _, n := range []int{0, demo.MinSuppliers - 1, demo.MaxSuppliers + 1} {
		_, err := demo.Generate(context.Background(), st, func(c register.Clock) *register.Service { return register.New(st, c) },
			demo.Options{Suppliers: n, Seed: 1, Now: now})
		if err == nil || !strings.Contains(err.Error(), "between") {
			t.Errorf("%d suppliers: %v", n, err)
		}
	}
}
