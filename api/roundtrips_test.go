package api_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// The reads the load harness measures cost two round trips to the database once
// warm (the API key's lookup, then one statement for the whole answer: no BEGIN and
// COMMIT, no state or questionnaire read beside it), and an exposure or impact
// answer is computed once per state of the register, not once per reader or page.
func TestReadsRunTwoRoundTripsOnceWarm(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var n atomic.Int64
			h := newHarness(t, testdb.OpenCounting(t, d, &n))
			r := buildRealisticRegister(h, 4)
			r.assess("Harbour Hosting", answersWhere(loadBaseline(t), true))
			inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
				"supplier_id": r.ids["Harbour Hosting"], "summary": "data rendered inaccessible",
				"aware_at": t0.Add(-time.Hour).Format(time.RFC3339)}}).status(201).object()
			paths := []string{
				"/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk",
				"/api/v1/weak-links?limit=50",
				"/api/v1/suppliers?sort=-residual_risk&limit=50",
				"/api/v1/suppliers?tier=critical,high,medium,low&limit=50",
				"/api/v1/suppliers?limit=50",
				"/api/v1/exposure?category=political_opinions&limit=2",
				"/api/v1/incidents/" + inc["id"].(string) + "/impact?limit=2",
			}
			for _, p := range paths {
				// Warm: the key's last use is written, the questionnaire named, the
				// answer kept.
				h.validRequest(request{method: "GET", path: p, role: register.RoleViewer}).status(200)
				n.Store(0)
				h.validRequest(request{method: "GET", path: p, role: register.RoleViewer}).status(200)
				if got := n.Load(); got != 2 {
					t.Errorf("GET %s: %d round trips once warm, want 2", p, got)
				}
			}
		})
	}
}

// A change to a supplier's descriptive fields alone (services, website, security
// contact, notes: no figure reads them) skips the risk maintenance a change of its
// criticality runs, and leaves the stored figures consistent.
func TestADescriptiveChangeSkipsRiskMaintenance(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var n atomic.Int64
			h := newHarness(t, testdb.OpenCounting(t, d, &n))
			r := buildRealisticRegister(h, 4)
			path := "/api/v1/suppliers/" + r.ids["Harbour Hosting"]
			patch := func(body map[string]any) int64 {
				n.Store(0)
				h.validRequest(request{method: "PATCH", path: path, role: register.RoleEditor, body: body}).status(200)
				return n.Load()
			}
			patch(map[string]any{"notes": "warm"})
			descriptive := patch(map[string]any{"notes": "renewal in May", "website": "https://harbour.example", "services": "hosting"})
			criticality := patch(map[string]any{"criticality": "critical"})
			if descriptive+10 > criticality {
				t.Errorf("statements: descriptive change %d, criticality change %d: the descriptive one should skip the maintenance", descriptive, criticality)
			}
			if v, err := h.svc.RiskVerify(context.Background()); err != nil || len(v.Differences) != 0 || v.Statistics {
				t.Fatalf("risk verify: %+v %v", v, err)
			}
		})
	}
}

// An exposure or impact answer kept between reads follows every write: the next read
// after a holding, a link or an archive answers the register as it now is.
func TestKeptAnswersFollowEveryWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := buildRealisticRegister(h, 4)
		inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
			"supplier_id": r.ids["Harbour Hosting"], "summary": "data rendered inaccessible",
			"aware_at": t0.Add(-time.Hour).Format(time.RFC3339)}}).status(201).object()
		exposure := func() exposureAnswer {
			var e exposureAnswer
			h.validRequest(request{method: "GET", path: "/api/v1/exposure?category=political_opinions&limit=500", role: register.RoleViewer}).status(200).json(&e)
			return e
		}
		impact := func() impactAnswer {
			var im impactAnswer
			h.validRequest(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact?limit=500", role: register.RoleViewer}).status(200).json(&im)
			return im
		}
		subNames := func(im impactAnswer) []string {
			var out []string
			for _, s := range im.Subprocessors {
				out = append(out, s.Name)
			}
			return out
		}
		before, im := exposure(), impact()
		if again := exposure(); again.Totals != before.Totals {
			t.Fatalf("the same register answered %+v, then %+v", before.Totals, again.Totals)
		}

		r.supplier("Signal Polling", "high", "GB")
		r.holds("Signal Polling", "political_opinions", 1234, "members")
		after := exposure()
		if after.Totals.DirectSuppliers != before.Totals.DirectSuppliers+1 || after.Totals.Records != before.Totals.Records+1234 {
			t.Fatalf("after a new holder: %+v, before %+v", after.Totals, before.Totals)
		}

		r.supplier("Offsite Vault", "medium", "GB")
		r.link("Harbour Hosting", "Offsite Vault", "political_opinions", "contact_details")
		if got := subNames(impact()); !slices.Contains(got, "Offsite Vault") || slices.Contains(subNames(im), "Offsite Vault") {
			t.Fatalf("sub-processors before the link %v, after %v", subNames(im), got)
		}

		linked := exposure()
		if linked.Totals.IndirectSuppliers != before.Totals.IndirectSuppliers+1 {
			t.Fatalf("after the link: %+v, before %+v", linked.Totals, before.Totals)
		}

		h.validRequest(request{method: "DELETE", path: "/api/v1/suppliers/" + r.ids["Signal Polling"], role: register.RoleEditor}).status(204)
		want := linked.Totals
		want.DirectSuppliers, want.Records = before.Totals.DirectSuppliers, before.Totals.Records
		if got := exposure(); got.Totals != want {
			t.Fatalf("after archiving the new holder: %+v, want %+v", got.Totals, want)
		}
	})
}
