package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Exposure counts people, like records, over direct holdings only: Harbour Hosting
// receives MemberHub's 580,000 contact details and adds no one; 20,000 supporters
// elsewhere may be other people, so the range widens to 600,000.
func TestExposureCountsPeopleOfDirectHoldings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := memberRegister(t, h)
		r.supplier("Supporter Mail", "low", "GB")
		r.holds("Supporter Mail", "contact_details", 20000, "supporters")
		var ex struct {
			Totals struct {
				Records    int64
				People     peopleAnswer
				Categories []struct {
					Records int64
					People  peopleAnswer
				}
			}
			Items []struct{ Direct bool }
		}
		h.do(request{method: "GET", path: "/api/v1/exposure?category=contact_details", role: register.RoleViewer}).status(200).json(&ex)
		if ex.Totals.Records != 600000 || ex.Totals.People != (peopleAnswer{580000, 600000}) || len(ex.Totals.Categories) != 1 ||
			ex.Totals.Categories[0].People != (peopleAnswer{580000, 600000}) || len(ex.Items) != 3 {
			t.Errorf("contact details exposure %+v", ex)
		}
		h.do(request{method: "GET", path: "/api/v1/exposure?special_category=true", role: register.RoleViewer}).status(200).json(&ex)
		if ex.Totals.Records != 580000 || ex.Totals.People != (peopleAnswer{580000, 580000}) {
			t.Errorf("special-category exposure %+v", ex.Totals)
		}
		h.do(request{method: "GET", path: "/api/v1/exposure?category=health", role: register.RoleViewer}).status(200).json(&ex)
		if ex.Totals.People != (peopleAnswer{}) || len(ex.Totals.Categories) != 1 || ex.Totals.Categories[0].People != (peopleAnswer{}) {
			t.Errorf("nothing held: %+v", ex.Totals)
		}
	})
}

// GET /suppliers/{id}/data-flows pages over the received origins; every page carries
// every category with its totals, and the supplier's totals and people.
func TestDataFlowsPaginated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := memberRegister(t, h)
		r.supplier("Supporter Mail", "low", "GB")
		r.holds("Supporter Mail", "contact_details", 20000, "supporters")
		r.link("Supporter Mail", "Harbour Hosting", "contact_details")
		type page struct {
			Records    int64
			People     peopleAnswer
			NextCursor *string `json:"next_cursor"`
			Categories []struct {
				Category     struct{ Key string }
				Records      int64
				ReceivedFrom []struct {
					Supplier    struct{ Name string }
					RecordCount int64 `json:"record_count"`
				} `json:"received_from"`
			}
		}
		base := "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/data-flows?limit=2"
		var origins []string
		path := base
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("the pages never end")
			}
			var p page
			h.validRequest(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&p)
			if p.Records != 1180000 || p.People != (peopleAnswer{580000, 600000}) || len(p.Categories) != 2 ||
				p.Categories[0].Category.Key != "political_opinions" || p.Categories[0].Records != 580000 || p.Categories[1].Records != 600000 {
				t.Fatalf("page %d totals %+v", pages, p)
			}
			n := 0
			for _, c := range p.Categories {
				for _, o := range c.ReceivedFrom {
					origins = append(origins, c.Category.Key+":"+o.Supplier.Name)
					n++
				}
			}
			if n > 2 {
				t.Fatalf("page %d has %d origins, limit 2", pages, n)
			}
			if p.NextCursor == nil {
				break
			}
			path = base + "&cursor=" + *p.NextCursor
		}
		if got := strings.Join(origins, ","); got != "political_opinions:MemberHub,contact_details:MemberHub,contact_details:Supporter Mail" {
			t.Errorf("origins over the pages: %s", got)
		}
		h.do(request{method: "GET", path: base + "&cursor=bogus", role: register.RoleViewer}).status(400)
		h.do(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/data-flows?limit=501", role: register.RoleViewer}).status(400)
		h.do(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/data-flows?sort=name", role: register.RoleViewer}).status(400)
	})
}

// Data flows and an incident's impact read one supplier's data in care from its end
// of the chain (only the holdings whose data reaches it); their totals are every
// supplier's data in care as risk computes it for the whole register — through a
// loop, a capped link, an archived holder and an archived supplier in mid-chain.
func TestDataFlowsTotalsAreDataInCare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := buildRealisticRegister(h, 6)
		r.supplier("Relay", "low", "GB")
		r.supplier("Far Store", "low", "GB")
		r.holds("Relay", "health", 70, "patients")
		r.link("Dockside Health", "Relay", "health")
		r.link("Relay", "Far Store", "health")
		r.link("Beacon Archive", "Far Store", "political_opinions")
		h.validRequest(request{method: "PATCH", path: "/api/v1/suppliers/" + r.ids["Beacon Archive"] + "/subprocessors/" + r.ids["Far Store"],
			role: register.RoleEditor, body: map[string]any{"record_count": 5000}}).status(200)
		check := func(stage string) {
			for name, id := range r.ids {
				if name == "Mooring Events" || (stage == "relay archived" && name == "Relay") {
					continue
				}
				risk := r.risk(name)
				var flows struct {
					Records int64
					People  peopleAnswer
				}
				h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + id + "/data-flows", role: register.RoleViewer}).status(200).json(&flows)
				if flows.Records != risk.DataInCare.Records || flows.People != risk.DataInCare.People {
					t.Errorf("%s, %s: data flows %d records, people %+v; data in care %+v", stage, name, flows.Records, flows.People, risk.DataInCare)
				}
			}
		}
		check("chain live")
		if fs := r.risk("Far Store"); fs.DataInCare.Records != 3000+70+5000 {
			t.Fatalf("Far Store's data in care %+v, want Dockside's 3,000 and Relay's 70 health records and 5,000 capped political opinions", fs.DataInCare)
		}
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + r.ids["Relay"], role: register.RoleEditor}).status(204)
		check("relay archived")
		inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
			"supplier_id": r.ids["Far Store"], "summary": "x", "aware_at": t0.Format(time.RFC3339)}}).status(201).object()
		var im impactAnswer
		h.validRequest(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact", role: register.RoleViewer}).status(200).json(&im)
		if im.Records != 5000 || len(im.Categories) != 1 || len(im.Categories[0].ReceivedFrom) != 1 ||
			im.Categories[0].ReceivedFrom[0].Supplier.Name != "Quayside Mail" {
			t.Fatalf("impact at Far Store once Relay is archived: %+v", im)
		}
	})
}
