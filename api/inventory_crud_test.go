package api_test

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestCategoryCatalogue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		var page struct {
			Items []struct {
				Key             string
				SpecialCategory bool `json:"special_category"`
				CriminalOffence bool `json:"criminal_offence"`
				BuiltIn         bool `json:"built_in"`
			}
		}
		h.validRequest(request{method: "GET", path: "/api/v1/data-categories?limit=100", role: register.RoleViewer}).status(200).json(&page)
		special, criminal := 0, 0
		for _, c := range page.Items {
			if c.SpecialCategory {
				special++
			}
			if c.CriminalOffence {
				criminal++
			}
			if !c.BuiltIn {
				t.Errorf("%s not marked built-in", c.Key)
			}
		}
		if len(page.Items) != 18 || special != 8 || criminal != 1 {
			t.Fatalf("catalogue: %d categories, %d special, %d criminal", len(page.Items), special, criminal)
		}

		newCat := map[string]any{"key": "vehicle_data", "name": "Vehicle data", "sensitivity": 2, "special_category": false, "criminal_offence": false}
		h.do(request{method: "POST", path: "/api/v1/data-categories", role: register.RoleEditor, body: newCat}).status(403)
		h.validRequest(request{method: "POST", path: "/api/v1/data-categories", role: register.RoleAdmin, body: newCat}).status(201)
		h.do(request{method: "POST", path: "/api/v1/data-categories", role: register.RoleAdmin, body: newCat}).status(409)
		fe := h.do(request{method: "POST", path: "/api/v1/data-categories", role: register.RoleAdmin,
			body: map[string]any{"key": "Bad Key", "name": "", "sensitivity": 9}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "key: must match ^[a-z0-9_]{1,64}$;name: is required;sensitivity: must be between 1 (lowest) and 5 (highest)" {
			t.Fatalf("errors %v", fe)
		}
		h.validRequest(request{method: "PATCH", path: "/api/v1/data-categories/vehicle_data", role: register.RoleAdmin,
			header: map[string]string{"If-Match": `"1"`}, contentType: "application/merge-patch+json", body: map[string]any{"sensitivity": 3}}).status(200)
		// The legal markers of shipped categories are fixed.
		h.do(request{method: "PATCH", path: "/api/v1/data-categories/health", role: register.RoleAdmin,
			body: map[string]any{"special_category": false}}).status(400)

		// A category in use cannot be deleted; shipped ones never.
		r := newRegister(h)
		r.supplier("Fleet Co", "low", "GB")
		holding := r.holds("Fleet Co", "vehicle_data", 10, "drivers")
		h.do(request{method: "DELETE", path: "/api/v1/data-categories/vehicle_data", role: register.RoleAdmin}).status(409)
		h.do(request{method: "DELETE", path: "/api/v1/data-categories/health", role: register.RoleAdmin}).status(409)
		h.do(request{method: "DELETE", path: "/api/v1/data-holdings/" + holding, role: register.RoleEditor}).status(204)
		h.do(request{method: "DELETE", path: "/api/v1/data-categories/vehicle_data", role: register.RoleAdmin, header: map[string]string{"If-Match": `"1"`}}).status(412)
		h.do(request{method: "DELETE", path: "/api/v1/data-categories/vehicle_data", role: register.RoleAdmin}).status(204)
		h.do(request{method: "GET", path: "/api/v1/data-categories/vehicle_data", role: register.RoleViewer}).status(404)
	})
}

func TestHoldingsLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		id := r.supplier("Quayside Mail", "high", "GB")
		body := map[string]any{"category": "political_opinions", "data_subjects": []string{" Members", "supporters", "members"},
			"record_count": 600000, "purpose": "membership administration", "locations": []string{"gb", "US"},
			"transfer_mechanism": "idta", "retention_until": "2027-12-31", "retention_period": "P7Y"}
		res := h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + id + "/data-holdings", role: register.RoleEditor, body: body}).status(201)
		hold := res.object()
		if strings.Join(toStrings(hold["data_subjects"]), ",") != "members,supporters" || strings.Join(toStrings(hold["locations"]), ",") != "GB,US" ||
			strings.Join(toStrings(hold["outside_uk_eea"]), ",") != "US" || res.Header().Get("Location") != "/api/v1/data-holdings/"+hold["id"].(string) {
			t.Fatalf("holding %v", hold)
		}
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + id + "/data-holdings", role: register.RoleEditor, body: body}).status(409)

		cases := []struct {
			name string
			body map[string]any
			want string
		}{
			{"missing required", map[string]any{}, "category: is required;data_subjects: is required: list who the data is about, such as members or employees;record_count: is required (an approximate number of records; 0 if none yet)"},
			{"negative count and bad location", map[string]any{"category": "health", "data_subjects": []string{"x"}, "record_count": -1, "locations": []string{"XX"}},
				"record_count: must be 0 or more;locations[0]: must be an ISO 3166-1 alpha-2 country code such as GB"},
			{"unknown category", map[string]any{"category": "horoscopes", "data_subjects": []string{"x"}, "record_count": 1}, "category: is not a data category in the catalogue (see GET /api/v1/data-categories)"},
			{"bad retention", map[string]any{"category": "health", "data_subjects": []string{"x"}, "record_count": 1, "retention_period": "7 years", "transfer_mechanism": "handshake"},
				"transfer_mechanism: must be one of adequacy, idta, uk_addendum, scc, bcr, derogation;retention_period: must be an ISO 8601 period such as P7Y or P18M"},
		}
		for _, tc := range cases {
			got := h.do(request{method: "POST", path: "/api/v1/suppliers/" + id + "/data-holdings", role: register.RoleEditor, body: tc.body}).status(400).fieldErrors()
			if strings.Join(got, ";") != tc.want {
				t.Errorf("%s: %q\nwant %q", tc.name, strings.Join(got, ";"), tc.want)
			}
		}

		hid := hold["id"].(string)
		p := h.validRequest(request{method: "PATCH", path: "/api/v1/data-holdings/" + hid, role: register.RoleEditor, contentType: "application/merge-patch+json",
			header: map[string]string{"If-Match": `"1"`}, body: map[string]any{"record_count": 650000, "transfer_mechanism": nil}}).status(200).object()
		if p["record_count"] != 650000.0 || p["transfer_mechanism"] != nil || p["version"] != 2.0 {
			t.Fatalf("patched %v", p)
		}
		h.do(request{method: "PATCH", path: "/api/v1/data-holdings/" + hid, role: register.RoleEditor, body: map[string]any{"category": "health"}}).status(400)
		h.do(request{method: "PATCH", path: "/api/v1/data-holdings/" + hid, role: register.RoleEditor, header: map[string]string{"If-Match": `"1"`}, body: map[string]any{"purpose": "x"}}).status(412)
		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + id + "/data-holdings", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 1 {
			t.Fatalf("list %v", list)
		}
		// Supplier filters that now make sense.
		r.supplier("Plain Co", "low", "GB")
		r.holds("Plain Co", "contact_details", 5, "customers")
		r.supplier("Empty Co", "low", "GB")
		for q, want := range map[string]string{
			"category=political_opinions":                 "Quayside Mail",
			"special_category=true":                       "Quayside Mail",
			"special_category=false":                      "Empty Co,Plain Co",
			"holds_personal_data=true":                    "Plain Co,Quayside Mail",
			"holds_personal_data=false":                   "Empty Co",
			"category=contact_details,political_opinions": "Plain Co,Quayside Mail",
		} {
			var sl struct{ Items []struct{ Name string } }
			h.validRequest(request{method: "GET", path: "/api/v1/suppliers?" + q, role: register.RoleViewer}).status(200).json(&sl)
			var names []string
			for _, s := range sl.Items {
				names = append(names, s.Name)
			}
			if strings.Join(names, ",") != want {
				t.Errorf("%s: %v, want %s", q, names, want)
			}
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?category=horoscopes", role: register.RoleViewer}).status(400)

		// Archived suppliers keep their holdings as history, unchangeable.
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + id, role: register.RoleEditor}).status(204)
		h.do(request{method: "PATCH", path: "/api/v1/data-holdings/" + hid, role: register.RoleEditor, body: map[string]any{"purpose": "x"}}).status(409)
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + id + "/data-holdings", role: register.RoleEditor,
			body: map[string]any{"category": "health", "data_subjects": []string{"x"}, "record_count": 1}}).status(409)
		h.do(request{method: "GET", path: "/api/v1/data-holdings/" + hid, role: register.RoleViewer}).status(200)
	})
}

func TestSubprocessorLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		a := r.supplier("Alpha", "low", "GB")
		b := r.supplier("Bravo", "low", "GB")
		r.link("Alpha", "Bravo", "contact_details", "health")
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleEditor,
			body: map[string]any{"subprocessor_id": b, "categories": []string{"financial"}}}).status(409)
		cases := []struct {
			name string
			body map[string]any
			want string
		}{
			{"self", map[string]any{"subprocessor_id": a, "categories": []string{"health"}}, "subprocessor_id: must be another supplier than the one passing the data"},
			{"unknown supplier and category", map[string]any{"subprocessor_id": "01900000-0000-7000-8000-000000000001", "categories": []string{"horoscopes"}},
				"categories[0]: is not a data category in the catalogue (see GET /api/v1/data-categories);subprocessor_id: is not a supplier in the register; create the sub-processor as a supplier first"},
			{"no categories", map[string]any{"subprocessor_id": b, "categories": []string{}}, "categories: is required: name the categories of data passed on"},
			{"future authorisation", map[string]any{"subprocessor_id": b, "categories": []string{"health"}, "authorised_at": "2030-01-01"}, "authorised_at: must not be in the future"},
		}
		for _, tc := range cases {
			got := h.do(request{method: "POST", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleEditor, body: tc.body}).status(400).fieldErrors()
			if strings.Join(got, ";") != tc.want {
				t.Errorf("%s: %q\nwant %q", tc.name, strings.Join(got, ";"), tc.want)
			}
		}
		var list struct {
			Items []struct {
				SubprocessorName string `json:"subprocessor_name"`
				Categories       []string
			}
		}
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 1 || list.Items[0].SubprocessorName != "Bravo" || strings.Join(list.Items[0].Categories, ",") != "contact_details,health" {
			t.Fatalf("links %+v", list)
		}
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + a + "/subprocessors/" + b, role: register.RoleEditor, header: map[string]string{"If-Match": `"7"`}}).status(412)
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + a + "/subprocessors/" + b, role: register.RoleEditor}).status(204)
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + a + "/subprocessors/" + b, role: register.RoleEditor}).status(404)
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + b, role: register.RoleEditor}).status(204)
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleEditor,
			body: map[string]any{"subprocessor_id": b, "categories": []string{"health"}}}).status(409)
	})
}

func TestIncidentLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		id := r.supplier("Quayside Mail", "high", "GB")
		fe := h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": id, "aware_at": "yesterday"}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "aware_at: must be an RFC 3339 timestamp such as 2026-10-29T09:00:00Z" {
			t.Fatalf("errors %v", fe)
		}
		fe = h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": "01900000-0000-7000-8000-000000000001", "aware_at": "2030-01-01T00:00:00Z", "status": "resolved"}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "aware_at: must not be in the future;status: must be one of open, contained, closed;summary: is required: one line saying what happened" {
			t.Fatalf("errors %v", fe)
		}
		h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": "01900000-0000-7000-8000-000000000001", "aware_at": "2026-10-29T09:00:00Z", "summary": "x"}}).status(400)
		inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": id, "aware_at": "2026-10-29T09:00:00Z", "summary": "data rendered inaccessible"}}).status(201).object()
		iid := inc["id"].(string)
		if inc["supplier_name"] != "Quayside Mail" || inc["regulator_deadline"] != "2026-11-01T09:00:00Z" {
			t.Fatalf("incident %v", inc)
		}
		c := h.validRequest(request{method: "PATCH", path: "/api/v1/incidents/" + iid, role: register.RoleEditor, contentType: "application/merge-patch+json",
			body: map[string]any{"status": "contained", "regulator_notified_at": "2026-10-30T12:00:00Z"}}).status(200).object()
		if c["status"] != "contained" || c["closed_at"] != nil {
			t.Fatalf("contained %v", c)
		}
		h.do(request{method: "PATCH", path: "/api/v1/incidents/" + iid, role: register.RoleEditor, body: map[string]any{"status": "open"}}).status(409)
		h.do(request{method: "PATCH", path: "/api/v1/incidents/" + iid, role: register.RoleEditor, body: map[string]any{"regulator_notified_at": "2026-10-28T12:00:00Z"}}).status(400)
		closed := h.do(request{method: "PATCH", path: "/api/v1/incidents/" + iid, role: register.RoleEditor, body: map[string]any{"status": "closed"}}).status(200).object()
		if closed["closed_at"] != "2026-11-23T09:00:00Z" {
			t.Fatalf("closed %v", closed)
		}
		var im impactAnswer
		h.do(request{method: "GET", path: "/api/v1/incidents/" + iid + "/impact", role: register.RoleViewer}).status(200).json(&im)
		if im.Records != 0 || !strings.Contains(im.Summary, "The register records no personal data held by or passed to this supplier.") ||
			!strings.Contains(im.Summary, "The regulator was notified at 12:00 UTC on 30 October 2026.") {
			t.Fatalf("impact %+v", im)
		}
		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/incidents?status=closed&supplier_id=" + id, role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 1 {
			t.Fatalf("list %v", list)
		}
		h.do(request{method: "GET", path: "/api/v1/incidents?status=resolved", role: register.RoleViewer}).status(400)
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
