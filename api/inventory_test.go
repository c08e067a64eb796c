package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// register builds a register through the API, as the procurement team would.
type registerBuilder struct {
	h   *harness
	ids map[string]string
}

func newRegister(h *harness) *registerBuilder {
	return &registerBuilder{h: h, ids: map[string]string{}}
}

func (r *registerBuilder) supplier(name, criticality, country string, extra ...map[string]any) string {
	r.h.t.Helper()
	body := map[string]any{"name": name, "criticality": criticality, "country": country}
	for _, e := range extra {
		for k, v := range e {
			body[k] = v
		}
	}
	id := r.h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: body}).status(201).object()["id"].(string)
	r.ids[name] = id
	return id
}

func (r *registerBuilder) holds(name, category string, records int, subjects ...string) string {
	r.h.t.Helper()
	res := r.h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids[name] + "/data-holdings", role: register.RoleEditor,
		body: map[string]any{"category": category, "data_subjects": subjects, "record_count": records, "locations": []string{"GB"}}}).status(201)
	return res.object()["id"].(string)
}

func (r *registerBuilder) link(from, to string, categories ...string) {
	r.h.t.Helper()
	r.h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids[from] + "/subprocessors", role: register.RoleEditor,
		body: map[string]any{"subprocessor_id": r.ids[to], "categories": categories, "authorised_at": "2024-03-01"}}).status(201)
}

// buildRealisticRegister makes dozens of suppliers, a three-level sub-processor
// chain with a loop back, special-category holdings, an archived supplier whose data
// must not count, and an upstream holder feeding a supplier.
func buildRealisticRegister(h *harness, fillers int) *registerBuilder {
	r := newRegister(h)
	r.supplier("Quayside Mail", "critical", "GB")
	r.supplier("Harbour Hosting", "high", "IE", map[string]any{"breach_notification_hours": 24})
	r.supplier("Lighthouse Backup", "medium", "US")
	r.supplier("Beacon Archive", "low", "US")
	r.supplier("Anchor Payroll", "high", "GB")
	r.supplier("Dockside Health", "critical", "GB")
	r.supplier("Mooring Events", "low", "GB")
	r.supplier("Tideway CRM", "medium", "GB")
	r.holds("Quayside Mail", "political_opinions", 600000, "members", "supporters")
	r.holds("Quayside Mail", "contact_details", 650000, "members", "supporters")
	r.holds("Anchor Payroll", "employment", 1200, "employees")
	r.holds("Anchor Payroll", "financial", 1200, "employees")
	r.holds("Dockside Health", "health", 3000, "members")
	r.holds("Mooring Events", "contact_details", 10000, "attendees")
	r.holds("Tideway CRM", "contact_details", 40000, "supporters")
	r.link("Quayside Mail", "Harbour Hosting", "political_opinions", "contact_details")
	r.link("Harbour Hosting", "Lighthouse Backup", "political_opinions")
	r.link("Lighthouse Backup", "Beacon Archive", "political_opinions")
	r.link("Beacon Archive", "Harbour Hosting", "political_opinions") // a loop
	r.link("Anchor Payroll", "Harbour Hosting", "financial")
	r.link("Dockside Health", "Lighthouse Backup", "health")
	r.link("Mooring Events", "Harbour Hosting", "contact_details")
	r.link("Tideway CRM", "Quayside Mail", "contact_details")
	for i := 0; i < fillers; i++ {
		name := fmt.Sprintf("Filler %03d", i)
		r.supplier(name, "low", "GB")
		r.holds(name, "contact_details", 100, "customers")
		if i%2 == 1 { // half of them pass data on, to make the graph bigger
			r.link(name, fmt.Sprintf("Filler %03d", i-1), "contact_details")
		}
	}
	// Archived suppliers neither hold nor pass on data.
	h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + r.ids["Mooring Events"], role: register.RoleEditor}).status(204)
	return r
}

type exposureAnswer struct {
	Totals struct {
		DirectSuppliers   int   `json:"direct_suppliers"`
		IndirectSuppliers int   `json:"indirect_suppliers"`
		Records           int64 `json:"records"`
	}
	Items []struct {
		Category    string
		Supplier    struct{ Name string }
		Direct      bool
		RecordCount *int64 `json:"record_count"`
		Via         *struct {
			From struct{ Name string }
			Path []struct{ Name string }
		}
	}
	NextCursor *string `json:"next_cursor"`
}

func (e exposureAnswer) lines() []string {
	var out []string
	for _, it := range e.Items {
		switch {
		case it.Direct:
			out = append(out, fmt.Sprintf("%s %s %d", it.Category, it.Supplier.Name, *it.RecordCount))
		default:
			var p []string
			for _, s := range it.Via.Path {
				p = append(p, s.Name)
			}
			out = append(out, fmt.Sprintf("%s %s via %s", it.Category, it.Supplier.Name, strings.Join(p, ">")))
		}
	}
	return out
}

func TestExposureOfARealisticRegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := buildRealisticRegister(h, 24)
		get := func(query string) exposureAnswer {
			var e exposureAnswer
			h.validRequest(request{method: "GET", path: "/api/v1/exposure?" + query, role: register.RoleViewer}).status(200).json(&e)
			return e
		}
		pol := get("category=political_opinions")
		want := []string{
			"political_opinions Quayside Mail 600000",
			"political_opinions Beacon Archive via Quayside Mail>Harbour Hosting>Lighthouse Backup>Beacon Archive",
			"political_opinions Harbour Hosting via Quayside Mail>Harbour Hosting",
			"political_opinions Lighthouse Backup via Quayside Mail>Harbour Hosting>Lighthouse Backup",
		}
		if got := pol.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("political_opinions exposure:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if pol.Totals.DirectSuppliers != 1 || pol.Totals.IndirectSuppliers != 3 || pol.Totals.Records != 600000 {
			t.Fatalf("totals %+v", pol.Totals)
		}

		contact := get("category=contact_details&limit=500")
		// 24 fillers + Quayside + Tideway; the archived Mooring Events does not count.
		if contact.Totals.DirectSuppliers != 26 || contact.Totals.Records != 692400 || contact.Totals.IndirectSuppliers != 1 {
			t.Fatalf("contact totals %+v", contact.Totals)
		}
		last := contact.lines()[len(contact.lines())-1]
		if last != "contact_details Harbour Hosting via Quayside Mail>Harbour Hosting" {
			t.Fatalf("last contact item %q", last)
		}

		supporters := get("category=contact_details&data_subject=Supporters")
		if got := strings.Join(supporters.lines(), "|"); got != "contact_details Quayside Mail 650000|contact_details Tideway CRM 40000|contact_details Harbour Hosting via Quayside Mail>Harbour Hosting" {
			t.Fatalf("supporters: %s", got)
		}

		special := get("special_category=true")
		if special.Totals.DirectSuppliers != 2 || special.Totals.IndirectSuppliers != 3 || special.Totals.Records != 603000 {
			t.Fatalf("special totals %+v", special.Totals)
		}
		// Categories in reading order (special categories, then sensitivity, then key).
		if got := special.lines(); len(got) != 6 || got[0] != "health Dockside Health 3000" ||
			got[1] != "health Lighthouse Backup via Dockside Health>Lighthouse Backup" || got[2] != "political_opinions Quayside Mail 600000" {
			t.Fatalf("special items %v", got)
		}

		// Paging walks the same answer without repeats or gaps.
		var walked []string
		path := "/api/v1/exposure?category=contact_details&limit=4"
		for {
			var e exposureAnswer
			h.do(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&e)
			walked = append(walked, e.lines()...)
			if e.NextCursor == nil {
				break
			}
			path = "/api/v1/exposure?category=contact_details&limit=4&cursor=" + *e.NextCursor
		}
		if strings.Join(walked, "|") != strings.Join(contact.lines(), "|") {
			t.Fatalf("paged walk differs:\n%v\n%v", walked, contact.lines())
		}

		// The per-supplier view: what Quayside Mail holds, receives and passes on.
		var flows impactAnswer
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Quayside Mail"] + "/data-flows", role: register.RoleViewer}).status(200).json(&flows)
		var got []string
		for _, c := range flows.Categories {
			var to []string
			for _, d := range c.PassedOn {
				to = append(to, d.Supplier.Name)
			}
			got = append(got, fmt.Sprintf("%s %d received from %d, to [%s]", c.Category.Key, c.Records, len(c.ReceivedFrom), strings.Join(to, ", ")))
		}
		if strings.Join(got, "|") != "political_opinions 600000 received from 0, to [Beacon Archive, Harbour Hosting, Lighthouse Backup]|contact_details 690000 received from 1, to [Harbour Hosting]" {
			t.Fatalf("data flows: %v", got)
		}

		for _, bad := range []string{"", "category=Political", "category=no_such_category", "special_category=maybe", "category=health&cursor=" + *get("category=contact_details&limit=1").NextCursor} {
			h.do(request{method: "GET", path: "/api/v1/exposure?" + bad, role: register.RoleViewer}).status(400)
		}
	})
}

type impactAnswer struct {
	Summary         string
	People          peopleAnswer
	Records         int64
	DataSubjects    []string `json:"data_subjects"`
	SpecialCategory bool     `json:"special_category"`
	Categories      []struct {
		Category     struct{ Key string }
		Records      int64
		ReceivedFrom []struct {
			Supplier    struct{ Name string }
			RecordCount int64 `json:"record_count"`
			Path        []struct{ Name string }
		} `json:"received_from"`
		PassedOn []struct {
			Supplier struct{ Name string }
		} `json:"passed_on"`
	}
	Subprocessors []struct{ Name string }
	Regulator     struct {
		Deadline  time.Time
		HoursLeft float64 `json:"hours_left"`
		Overdue   bool
	}
	SupplierNotice struct {
		WindowHours  *int     `json:"window_hours"`
		DelayHours   *float64 `json:"delay_hours"`
		WithinWindow *bool    `json:"within_window"`
	} `json:"supplier_notice"`
}

func TestIncidentImpactOfARealisticRegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := buildRealisticRegister(h, 24)
		aware := t0.Add(-10 * time.Hour)
		inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
			"supplier_id": r.ids["Harbour Hosting"], "summary": "data rendered inaccessible",
			"aware_at": aware.Format(time.RFC3339), "supplier_aware_at": aware.Add(-30 * time.Hour).Format(time.RFC3339),
		}}).status(201).object()
		if inc["status"] != "open" || inc["regulator_deadline"] != "2026-11-25T23:00:00Z" {
			t.Fatalf("incident %v", inc)
		}
		var im impactAnswer
		h.validRequest(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact", role: register.RoleViewer}).status(200).json(&im)

		var cats []string
		for _, c := range im.Categories {
			var from []string
			for _, o := range c.ReceivedFrom {
				var p []string
				for _, s := range o.Path {
					p = append(p, s.Name)
				}
				from = append(from, fmt.Sprintf("%s %d (%s)", o.Supplier.Name, o.RecordCount, strings.Join(p, ">")))
			}
			var to []string
			for _, d := range c.PassedOn {
				to = append(to, d.Supplier.Name)
			}
			cats = append(cats, fmt.Sprintf("%s %d from [%s] to [%s]", c.Category.Key, c.Records, strings.Join(from, "; "), strings.Join(to, ", ")))
		}
		want := []string{
			"political_opinions 600000 from [Quayside Mail 600000 (Quayside Mail>Harbour Hosting)] to [Beacon Archive, Lighthouse Backup]",
			"financial 1200 from [Anchor Payroll 1200 (Anchor Payroll>Harbour Hosting)] to []",
			"contact_details 690000 from [Quayside Mail 650000 (Quayside Mail>Harbour Hosting); Tideway CRM 40000 (Tideway CRM>Quayside Mail>Harbour Hosting)] to []",
		}
		if strings.Join(cats, "\n") != strings.Join(want, "\n") {
			t.Fatalf("impact categories:\n%s\nwant:\n%s", strings.Join(cats, "\n"), strings.Join(want, "\n"))
		}
		// People: 650,000 members and supporters at least; at most those plus 1,200
		// employees and 40,000 supporters of other holdings, who may be other people.
		if im.People.AtLeast != 650000 || im.People.AtMost != 691200 {
			t.Fatalf("impact people %+v", im.People)
		}
		if im.Records != 1291200 || !im.SpecialCategory || strings.Join(im.DataSubjects, ",") != "employees,members,supporters" {
			t.Fatalf("impact totals: %d %v %v", im.Records, im.SpecialCategory, im.DataSubjects)
		}
		if len(im.Subprocessors) != 2 || im.Subprocessors[0].Name != "Beacon Archive" {
			t.Fatalf("subprocessors %v", im.Subprocessors)
		}
		if !im.Regulator.Deadline.Equal(aware.Add(72*time.Hour)) || im.Regulator.HoursLeft != 62 || im.Regulator.Overdue {
			t.Fatalf("regulator %+v", im.Regulator)
		}
		if n := im.SupplierNotice; *n.WindowHours != 24 || *n.DelayHours != 30 || *n.WithinWindow {
			t.Fatalf("supplier notice %+v", n)
		}
		wantSummary := "Harbour Hosting, a supplier, reported a security incident of which we became aware on 22 November 2026 at 23:00 UTC (data rendered inaccessible). " +
			"It has in its care the personal data of between 650,000 and 691,200 people — employees, members and supporters — " +
			"whose political opinions, financial and payment and contact details it holds or receives (1,291,200 records in 3 categories), " +
			"including special-category or criminal-offence data (political opinions), and it passes data on to 2 sub-processors (Beacon Archive and Lighthouse Backup). " +
			"If personal data is affected, the regulator must be notified by 23:00 UTC on 25 November 2026 (62 hours from now)."
		if im.Summary != wantSummary {
			t.Fatalf("summary:\n%s\nwant:\n%s", im.Summary, wantSummary)
		}

		// Three days later the deadline has passed; once the regulator is told, it says so.
		h.clock.Advance(72 * time.Hour)
		h.do(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact", role: register.RoleViewer}).status(200).json(&im)
		if !im.Regulator.Overdue || !strings.Contains(im.Summary, "passed at 23:00 UTC on 25 November 2026 (10 hours ago)") {
			t.Fatalf("overdue: %+v %s", im.Regulator, im.Summary)
		}
	})
}
