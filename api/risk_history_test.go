package api_test

import (
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A supplier's risk history lists each change of its figures and flags, newest
// first, with the moment it took effect — a write's, or a date's — a page at a time.
func TestRiskHistoryListsEachChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		r.supplier("Quayside Mail", "high", "GB", map[string]any{"dpa_signed_at": "2024-02-01",
			"certifications": []map[string]any{{"scheme": "iso27001", "expires_at": t0.Format(time.DateOnly)}}})
		h.clock.Advance(time.Hour)
		r.holds("Quayside Mail", "political_opinions", 5000, "members")
		h.clock.Advance(time.Hour)
		failed := answersWhere(d, true)
		failed["offline_backups"] = answersWhere(d, false)["offline_backups"]
		id := r.assess("Quayside Mail", failed)["id"].(string)
		h.clock.Advance(time.Hour)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleAdmin,
			body: map[string]any{"decision": "approve", "comment": "evidence checked"}}).status(200)
		// The certificate expires with no write: the next read records it at midnight.
		h.clock.Advance(48 * time.Hour)
		path := "/api/v1/suppliers/" + r.ids["Quayside Mail"] + "/risk/history"
		var all struct {
			Items []struct {
				EffectiveAt        time.Time `json:"effective_at"`
				Posture            *float64
				PostureProvisional bool `json:"posture_provisional"`
				Tier               string
				Flags              []struct{ Code string }
			}
			NextCursor *string `json:"next_cursor"`
		}
		h.validRequest(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200)
		h.validRequest(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&all)
		if len(all.Items) != 5 || all.NextCursor != nil {
			t.Fatalf("%d entries (next %v), want 5: created, holding, submitted, approved, certificate expired", len(all.Items), all.NextCursor)
		}
		expired, approved := all.Items[0], all.Items[1]
		midnight := time.Date(t0.Year(), t0.Month(), t0.Day()+1, 0, 0, 0, 0, time.UTC)
		if !expired.EffectiveAt.Equal(midnight) || *expired.Posture >= *approved.Posture || approved.PostureProvisional ||
			!all.Items[2].PostureProvisional || all.Items[4].Posture != nil {
			t.Fatalf("history: %+v", all.Items)
		}
		codes := func(i int) (out []string) {
			for _, f := range all.Items[i].Flags {
				out = append(out, f.Code)
			}
			return out
		}
		if c := codes(0); !contains(c, "certification_expired") {
			t.Fatalf("the newest entry's flags %v lack certification_expired", c)
		}
		// One entry a page: the same entries, in the same order.
		var walked []time.Time
		cursor := ""
		for range 10 {
			var page struct {
				Items []struct {
					EffectiveAt time.Time `json:"effective_at"`
				}
				NextCursor *string `json:"next_cursor"`
			}
			q := path + "?limit=1"
			if cursor != "" {
				q += "&cursor=" + cursor
			}
			h.validRequest(request{method: "GET", path: q, role: register.RoleViewer}).status(200).json(&page)
			for _, it := range page.Items {
				walked = append(walked, it.EffectiveAt)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if len(walked) != 5 || !walked[4].Equal(all.Items[4].EffectiveAt) {
			t.Fatalf("walked %v", walked)
		}
		h.do(request{method: "GET", path: path + "?cursor=bogus", role: register.RoleViewer}).status(400)
		h.do(request{method: "GET", path: "/api/v1/suppliers/01900000-0000-7000-8000-00000000ffff/risk/history", role: register.RoleViewer}).status(404)
		h.do(request{method: "GET", path: path}).status(401)
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
