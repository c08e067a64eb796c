package api_test

import (
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A posture from a submitted assessment nobody has reviewed is marked provisional
// wherever a posture is shown (/risk, the supplier list, /weak-links and the report);
// approval clears the mark; a rejected assessment never counts, so a newer rejected one
// leaves the approved posture, unmarked; a supplier never assessed has no posture and
// no mark.
func TestPostureProvisionalUntilReviewed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		r.supplier("Quayside Mail", "high", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.holds("Quayside Mail", "contact_details", 5000, "members")
		failed := answersWhere(d, true)
		failed["offline_backups"] = answersWhere(d, false)["offline_backups"] // a flag, so it is a weak link
		first := r.assess("Quayside Mail", failed)["id"].(string)
		r.supplier("Never Assessed Ltd", "low", "GB")

		type seen struct {
			posture     any
			provisional any
		}
		look := func() (risk, list, weak seen, report seen) {
			t.Helper()
			rk := h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Quayside Mail"] + "/risk", role: register.RoleViewer}).status(200).object()
			risk = seen{rk["posture"], rk["posture_provisional"]}
			var l struct{ Items []map[string]any }
			h.validRequest(request{method: "GET", path: "/api/v1/suppliers?sort=name", role: register.RoleViewer}).status(200).json(&l)
			for _, it := range l.Items {
				rs := it["risk"].(map[string]any)
				switch it["name"] {
				case "Quayside Mail":
					list = seen{rs["posture"], rs["posture_provisional"]}
				case "Never Assessed Ltd":
					if rs["posture"] != nil || rs["posture_provisional"] != false {
						t.Fatalf("never assessed: %v", rs)
					}
				}
			}
			var w struct{ Items []map[string]any }
			h.validRequest(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
			for _, it := range w.Items {
				if it["supplier"].(map[string]any)["name"] == "Quayside Mail" {
					weak = seen{it["posture"], it["posture_provisional"]}
				}
			}
			rep := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor,
				body: map[string]any{"quarter": "2026-Q4", "regenerate": true}}).object()
			var snap struct{ Suppliers []map[string]any }
			h.validRequest(request{method: "GET", path: "/api/v1/reports/" + rep["id"].(string), role: register.RoleViewer}).status(200).json(&snap)
			for _, l := range snap.Suppliers {
				if l["name"] == "Quayside Mail" {
					report = seen{l["posture"], l["posture_provisional"]}
				}
			}
			return
		}
		want := func(when string, posture any, provisional bool) {
			t.Helper()
			risk, list, weak, report := look()
			for where, s := range map[string]seen{"risk": risk, "list": list, "weak-links": weak, "report": report} {
				if s.posture != posture || s.provisional != provisional {
					t.Errorf("%s, %s: posture %v, provisional %v; want %v, %v", when, where, s.posture, s.provisional, posture, provisional)
				}
			}
		}
		want("submitted, unreviewed", 40.0, true)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + first + "/review", role: register.RoleAdmin,
			body: map[string]any{"decision": "approve", "comment": "evidence checked"}}).status(200)
		want("approved", 40.0, false)

		// A newer assessment, rejected: it never counts, and the approved one stands.
		second := r.assess("Quayside Mail", failed)["id"].(string)
		want("a newer one submitted", 40.0, true)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + second + "/review", role: register.RoleAdmin,
			body: map[string]any{"decision": "reject", "comment": "no evidence"}}).status(200)
		want("the newer one rejected", 40.0, false)
	})
}
