package api_test

import (
	"strings"
	"testing"

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
