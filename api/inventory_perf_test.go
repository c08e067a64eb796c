package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Exposure and impact run the same number of statements however large the register.
func TestExposureAndImpactRunConstantStatements(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var counts [][2]int64
			for _, fillers := range []int{4, 40} {
				var n atomic.Int64
				h := newHarness(t, testdb.OpenCounting(t, d, &n))
				r := buildRealisticRegister(h, fillers)
				inc := h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
					"supplier_id": r.ids["Harbour Hosting"], "summary": "x", "aware_at": t0.Format(time.RFC3339)}}).status(201).object()
				n.Store(0)
				h.do(request{method: "GET", path: "/api/v1/exposure?category=contact_details&limit=500", role: register.RoleViewer}).status(200)
				exposure := n.Load()
				n.Store(0)
				h.do(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact", role: register.RoleViewer}).status(200)
				counts = append(counts, [2]int64{exposure, n.Load()})
			}
			if counts[0] != counts[1] {
				t.Fatalf("statements (exposure, impact): %v with 4 fillers, %v with 40", counts[0], counts[1])
			}
			t.Logf("statements per request: exposure %d, impact %d", counts[0][0], counts[0][1])
		})
	}
}

// seedLargeRegister writes suppliers, holdings and links straight into the tables
// (multi-row INSERTs), so the benchmark measures reading, not seeding. Every fifth
// supplier passes contact details and political opinions to the next one, and every
// 50th passes them to a shared hosting provider, "Hub".
func seedLargeRegister(tb testing.TB, st *store.Store, suppliers, perSupplier int) (hub string) {
	cats := []string{"contact_details", "political_opinions", "financial", "health", "employment", "location",
		"online_identifiers", "communications_content", "children", "religious_beliefs"}
	ids := make([]string, suppliers)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()).String()
	}
	hub = ids[0]
	const ts = "'2026-01-01 00:00:00'"
	var sups, holds, links, linkCats []string
	for i, id := range ids {
		name := fmt.Sprintf("Supplier %05d", i)
		if i == 0 {
			name = "Hub"
		}
		sups = append(sups, fmt.Sprintf("('%s','%s','%s','%s','active','GB','','','',NULL,NULL,NULL,'2024-01-01','[]','',NULL,1,%s,%s)",
			id, name, strings.ToLower(name), register.Criticalities[i%4], ts, ts))
		if i == 0 {
			continue
		}
		for j := 0; j < perSupplier; j++ {
			holds = append(holds, fmt.Sprintf("('%s','%s','%s','[\"members\"]',%d,'','[\"GB\"]',NULL,NULL,NULL,NULL,1,%s,%s)",
				uuid.Must(uuid.NewV7()).String(), id, cats[(i+j)%len(cats)], 100+i, ts, ts))
		}
		add := func(to string) {
			lid := uuid.Must(uuid.NewV7()).String()
			links = append(links, fmt.Sprintf("('%s','%s','%s',NULL,1,%s,%s)", lid, id, to, ts, ts))
			linkCats = append(linkCats, fmt.Sprintf("('%s','contact_details')", lid), fmt.Sprintf("('%s','political_opinions')", lid))
		}
		if i%5 == 0 && i+1 < suppliers {
			add(ids[i+1])
		}
		if i%50 == 0 {
			add(hub)
		}
	}
	insertRows(tb, st, "suppliers", sups)
	insertRows(tb, st, "data_holdings", holds)
	insertRows(tb, st, linkColumns, links)
	insertRows(tb, st, "subprocessor_link_categories", linkCats)
	// Planner statistics, as a database in service has them (autovacuum keeps them up
	// to date; right after a bulk load they do not exist yet).
	testdb.Exec(tb, st, "ANALYZE")
	return hub
}

// BenchmarkExposureAndImpact answers exposure and incident impact over 10,000
// suppliers and 50,000 holdings.
func BenchmarkExposureAndImpact(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := testdb.Open(b, d)
			hub := seedLargeRegister(b, st, 10001, 5)
			clock := testdb.NewClock(t0)
			svc := register.New(st, clock.Now)
			ctx := context.Background()
			inc, err := svc.CreateIncident(ctx, register.SystemActor("bench"), register.IncidentFields{
				SupplierID: hub, Summary: "data rendered inaccessible", AwareAt: ptrTime(t0.Add(-time.Hour))})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("exposure", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					ex, err := svc.Exposure(ctx, register.ExposureFilter{Category: "political_opinions"})
					if err != nil || ex.DirectSuppliers == 0 {
						b.Fatal(err)
					}
				}
			})
			b.Run("suppliers_by_residual_risk", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, err := svc.ListSuppliers(ctx, register.SupplierFilter{Sort: "-residual_risk", Limit: 50})
					if err != nil || len(page.Items) != 50 {
						b.Fatal(err)
					}
				}
			})
			b.Run("weak_links", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := svc.WeakLinks(ctx, register.WeakLinkFilter{Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("supplier_risk", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, _, err := svc.SupplierRisk(ctx, hub); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("quarterly_report", func(b *testing.B) {
				// Generation renders every format once, to record their SHA-256.
				for i := 0; i < b.N; i++ {
					if _, _, err := quarterly.New(svc, st).GenerateReport(ctx, register.SystemActor("bench"), "2026-Q4", true); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("impact", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					im, err := svc.IncidentImpact(ctx, inc.ID, "", 0)
					if err != nil || im.Flows.Records == 0 {
						b.Fatal(err, im.Flows.Records)
					}
				}
			})
		})
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// linkColumns names the columns the seeded links fill (record_count, added later, stays NULL).
const linkColumns = "subprocessor_links (id, supplier_id, subprocessor_id, authorised_at, version, created_at, updated_at)"

// insertRows inserts rows (SQL value tuples) into table, 500 to a statement.
func insertRows(tb testing.TB, st *store.Store, table string, rows []string) {
	for start := 0; start < len(rows); start += 500 {
		testdb.Exec(tb, st, "INSERT INTO "+table+" VALUES "+strings.Join(rows[start:min(start+500, len(rows))], ","))
	}
}

// addSubprocessors adds n suppliers ("Sub-processor NNNNN") to which from passes
// contact details and political opinions, straight into the tables like
// seedLargeRegister.
func addSubprocessors(tb testing.TB, st *store.Store, from string, n int) {
	const ts = "'2026-01-01 00:00:00'"
	var sups, links, linkCats []string
	for i := 0; i < n; i++ {
		id, lid := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
		name := fmt.Sprintf("Sub-processor %05d", i)
		sups = append(sups, fmt.Sprintf("('%s','%s','%s','low','active','IE','','','',NULL,NULL,NULL,'2024-01-01','[]','',NULL,1,%s,%s)",
			id, name, strings.ToLower(name), ts, ts))
		links = append(links, fmt.Sprintf("('%s','%s','%s',NULL,1,%s,%s)", lid, from, id, ts, ts))
		linkCats = append(linkCats, fmt.Sprintf("('%s','contact_details')", lid), fmt.Sprintf("('%s','political_opinions')", lid))
	}
	insertRows(tb, st, "suppliers", sups)
	insertRows(tb, st, linkColumns, links)
	insertRows(tb, st, "subprocessor_link_categories", linkCats)
	testdb.Exec(tb, st, "ANALYZE")
}

// BenchmarkImpactAtAHubThatPassesDataOn reads, through the router, the first page of
// an incident's impact at the benchmark register's Hub (200 suppliers pass it data)
// once it also passes that data on to 5,000 sub-processors, and reports the size of
// the answer.
func BenchmarkImpactAtAHubThatPassesDataOn(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := testdb.Open(b, d)
			hub := seedLargeRegister(b, st, 10001, 5)
			addSubprocessors(b, st, hub, 5000)
			clock := testdb.NewClock(t0)
			svc := register.New(st, clock.Now)
			ctx := context.Background()
			inc, err := svc.CreateIncident(ctx, register.SystemActor("bench"), register.IncidentFields{
				SupplierID: hub, Summary: "data rendered inaccessible", AwareAt: ptrTime(t0.Add(-time.Hour))})
			if err != nil {
				b.Fatal(err)
			}
			_, secret, err := svc.CreateAPIKey(ctx, register.SystemActor("bench"), register.NewAPIKey{Name: "bench", Role: register.RoleViewer})
			if err != nil {
				b.Fatal(err)
			}
			_, _, spec := loadContract(b)
			h, err := api.New(api.Config{Spec: spec, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Now},
				api.NewServices(svc, quarterly.New(svc, st), sheetio.New(svc, st), st))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			size := 0
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", "/api/v1/incidents/"+inc.ID+"/impact", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "answer-bytes")
		})
	}
}
