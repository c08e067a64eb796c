package register_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Walking every page must visit each supplier exactly once, in order, for every sort,
// even when suppliers are added while the client is paging.
func TestSupplierPagingIsCompleteAndStable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, clock := newService(t, st)
		ctx := context.Background()
		names := []string{"delta", "Alpha", "charlie", "bravo", "echo", "Foxtrot", "golf"}
		for _, n := range names {
			if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: n, Criticality: "low"}); err != nil {
				t.Fatal(err)
			}
			// Two suppliers share each timestamp, so the id tie-breaker matters.
			if n != "Alpha" && n != "bravo" {
				clock.Advance(time.Second)
			}
		}
		want := map[string][]string{
			"name":        {"Alpha", "bravo", "charlie", "delta", "echo", "Foxtrot", "golf"},
			"-name":       {"golf", "Foxtrot", "echo", "delta", "charlie", "bravo", "Alpha"},
			"created_at":  names,
			"-created_at": reverse(names),
		}
		for sort, expected := range want {
			t.Run(sort, func(t *testing.T) {
				got := walk(t, svc, register.SupplierFilter{Sort: sort, Limit: 3}, nil)
				if fmt.Sprint(got) != fmt.Sprint(expected) {
					t.Fatalf("pages gave %v, want %v", got, expected)
				}
			})
		}
		// A risk filter assembles the list in memory, with positions of its own: a
		// descending name order must survive the cursor's round trip too.
		t.Run("-name with a tier filter", func(t *testing.T) {
			got := walk(t, svc, register.SupplierFilter{Sort: "-name", Tiers: register.Tiers, Limit: 3}, nil)
			if fmt.Sprint(got) != fmt.Sprint(want["-name"]) {
				t.Fatalf("pages gave %v, want %v", got, want["-name"])
			}
		})
		t.Run("insert while paging", func(t *testing.T) {
			inserted := false
			got := walk(t, svc, register.SupplierFilter{Sort: "name", Limit: 3}, func() {
				if !inserted {
					inserted = true
					if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Aardvark", Criticality: "low"}); err != nil {
						t.Fatal(err)
					}
				}
			})
			// "Aardvark" sorts before the first page's end, so this walk never sees it;
			// nothing else is skipped or repeated.
			if fmt.Sprint(got) != fmt.Sprint(want["name"]) {
				t.Fatalf("pages gave %v, want %v", got, want["name"])
			}
		})
	})
}

func walk(t *testing.T, svc *register.Service, f register.SupplierFilter, between func()) []string {
	t.Helper()
	var names []string
	for i := 0; i < 20; i++ {
		page, err := svc.ListSuppliers(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Items {
			names = append(names, s.Name)
		}
		if page.NextCursor == "" {
			return names
		}
		if between != nil {
			between()
		}
		f.Cursor = page.NextCursor
	}
	t.Fatal("paging did not end")
	return nil
}

func reverse(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[len(in)-1-i] = s
	}
	return out
}

func TestSupplierFiltersAndArchive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		ctx := context.Background()
		mk := func(name, crit, status, country string) register.Supplier {
			f := register.SupplierFields{Name: name, Criticality: crit, Status: status}
			if country != "" {
				f.Country = &country
			}
			s, err := svc.CreateSupplier(ctx, editor, f)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		quay := mk("Quayside Mail", "high", "active", "GB")
		mk("Harbour 100% Print", "low", "onboarding", "IE")
		mk("Dockside_Data", "critical", "active", "US")

		cases := []struct {
			name string
			f    register.SupplierFilter
			want string
		}{
			{"substring, any case", register.SupplierFilter{Q: "SIDE"}, "[Dockside_Data Quayside Mail]"},
			{"percent is literal", register.SupplierFilter{Q: "100%"}, "[Harbour 100% Print]"},
			{"underscore is literal", register.SupplierFilter{Q: "e_d"}, "[Dockside_Data]"},
			{"status list", register.SupplierFilter{Statuses: []string{"onboarding"}}, "[Harbour 100% Print]"},
			{"criticality list", register.SupplierFilter{Criticalities: []string{"high", "critical"}}, "[Dockside_Data Quayside Mail]"},
			{"country", register.SupplierFilter{Countries: []string{"gb"}}, "[Quayside Mail]"},
		}
		for _, tc := range cases {
			page, err := svc.ListSuppliers(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := fmt.Sprint(namesOf(page.Items)); got != tc.want {
				t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
			}
		}

		if err := svc.ArchiveSupplier(ctx, editor, quay.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.ArchiveSupplier(ctx, editor, quay.ID, nil); register.ErrorCode(err) != register.CodeConflict {
			t.Fatalf("second archive: %v, want conflict", err)
		}
		live, _ := svc.ListSuppliers(ctx, register.SupplierFilter{})
		all, _ := svc.ListSuppliers(ctx, register.SupplierFilter{IncludeArchived: true})
		if len(live.Items) != 2 || len(all.Items) != 3 {
			t.Fatalf("live %d, all %d; want 2 and 3", len(live.Items), len(all.Items))
		}
		// The archived supplier's name is free again; a live duplicate is not.
		if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "quayside mail", Criticality: "low"}); err != nil {
			t.Fatalf("reusing an archived name: %v", err)
		}
		_, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "QUAYSIDE MAIL", Criticality: "low"})
		if register.ErrorCode(err) != register.CodeConflict {
			t.Fatalf("duplicate live name: %v, want conflict", err)
		}
		got, err := svc.GetSupplier(ctx, quay.ID)
		if err != nil || got.ArchivedAt == nil || got.Version != 2 {
			t.Fatalf("archived supplier: %+v, %v", got, err)
		}
	})
}

func TestListRejectsBadParameters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		ctx := context.Background()
		for name, f := range map[string]register.SupplierFilter{
			"unknown sort":           {Sort: "posture; DROP TABLE suppliers"},
			"limit above 500":        {Limit: 501},
			"unknown status":         {Statuses: []string{"paused"}},
			"forged cursor":          {Cursor: "bm90LWEtY3Vyc29y"},
			"cursor of another sort": {Sort: "name", Cursor: cursorFor(t, svc, "-name")},
		} {
			if _, err := svc.ListSuppliers(ctx, f); register.ErrorCode(err) != register.CodeInvalid {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
	})
}

// A cursor holding the longest name, in characters JSON would escape or that take
// several bytes, is still accepted.
func TestCursorCarriesLongNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		ctx := context.Background()
		for _, n := range []string{strings.Repeat("&", 200), strings.Repeat("é€", 100), strings.Repeat("🥇", 200), "zz"} {
			if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: n, Criticality: "low"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []register.SupplierFilter{{Limit: 1}, {Sort: "-name", Limit: 1}, {Sort: "-name", Tiers: register.Tiers, Limit: 1}} {
			if got := walk(t, svc, f, nil); len(got) != 4 {
				t.Fatalf("%+v: walked %d suppliers, want 4", f, len(got))
			}
		}
	})
}

func cursorFor(t *testing.T, svc *register.Service, sort string) string {
	ctx := context.Background()
	for _, n := range []string{"x1", "x2"} {
		_, _ = svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: n, Criticality: "low"})
	}
	page, err := svc.ListSuppliers(ctx, register.SupplierFilter{Sort: sort, Limit: 1})
	if err != nil || page.NextCursor == "" {
		t.Fatalf("cursor: %v", err)
	}
	return page.NextCursor
}

func namesOf(items []register.Supplier) []string {
	var out []string
	for _, s := range items {
		out = append(out, s.Name)
	}
	return out
}
