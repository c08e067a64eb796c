package api_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// hubRegister is a hosting hub whose data goes on to many sub-processors: Hub Host
// holds members' political opinions and contact details, receives contact details
// from three feeders, and passes data on to subs direct sub-processors ("Sub 01", …;
// odd ones get political opinions, even ones contact details, every third both),
// and Sub 03 passes political opinions on to "deep Archive", which links back to the
// hub (a cycle). It returns the incident's impact path.
func hubRegister(t *testing.T, h *harness, subs int) (r *registerBuilder, impact string) {
	t.Helper()
	r = newRegister(h)
	r.supplier("Hub Host", "critical", "GB", map[string]any{"breach_notification_hours": 24})
	r.holds("Hub Host", "political_opinions", 580000, "members")
	r.holds("Hub Host", "contact_details", 580000, "members")
	for i, f := range []string{"Feeder C", "Feeder A", "Feeder B"} {
		r.supplier(f, "medium", "GB")
		r.holds(f, "contact_details", 1000*(i+1), "supporters")
		r.link(f, "Hub Host", "contact_details")
	}
	for i := 1; i <= subs; i++ {
		name := fmt.Sprintf("Sub %02d", i)
		r.supplier(name, "low", "IE")
		switch {
		case i%3 == 0:
			r.link("Hub Host", name, "political_opinions", "contact_details")
		case i%2 == 1:
			r.link("Hub Host", name, "political_opinions")
		default:
			r.link("Hub Host", name, "contact_details")
		}
	}
	r.supplier("deep Archive", "low", "US")
	r.link("Sub 03", "deep Archive", "political_opinions")
	r.link("deep Archive", "Hub Host", "political_opinions")
	aware := t0.Add(-10 * time.Hour)
	inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
		"supplier_id": r.ids["Hub Host"], "summary": "data rendered inaccessible", "aware_at": aware.Format(time.RFC3339),
		"supplier_aware_at": aware.Add(-2 * time.Hour).Format(time.RFC3339)}}).status(201).object()
	return r, "/api/v1/incidents/" + inc["id"].(string) + "/impact"
}

// impactPage is one page of an incident's impact as the paging tests read it: the
// lists that come page by page, and everything else (the totals) as raw JSON.
type impactPage struct {
	totals        string
	summary       string
	count         int
	next          *string
	origins       []string // "category:holder (path)"
	subprocessors []string
	passedOn      []string // "category:sub-processor (path)"
}

func readImpactPage(t *testing.T, h *harness, path string) impactPage {
	t.Helper()
	var raw map[string]any
	h.validRequest(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&raw)
	var typed struct {
		Summary           string
		SubprocessorCount int     `json:"subprocessor_count"`
		NextCursor        *string `json:"next_cursor"`
		Subprocessors     []struct{ Name string }
		Categories        []struct {
			Category     struct{ Key string }
			ReceivedFrom []struct {
				Supplier struct{ Name string }
				Path     []struct{ Name string }
			} `json:"received_from"`
			PassedOn []struct {
				Supplier struct{ Name string }
				Path     []struct{ Name string }
			} `json:"passed_on"`
		}
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &typed); err != nil {
		t.Fatal(err)
	}
	p := impactPage{summary: typed.Summary, count: typed.SubprocessorCount, next: typed.NextCursor}
	pathText := func(path []struct{ Name string }) string {
		var names []string
		for _, s := range path {
			names = append(names, s.Name)
		}
		return strings.Join(names, ">")
	}
	for _, c := range typed.Categories {
		for _, o := range c.ReceivedFrom {
			p.origins = append(p.origins, fmt.Sprintf("%s:%s (%s)", c.Category.Key, o.Supplier.Name, pathText(o.Path)))
		}
		for _, d := range c.PassedOn {
			p.passedOn = append(p.passedOn, fmt.Sprintf("%s:%s (%s)", c.Category.Key, d.Supplier.Name, pathText(d.Path)))
		}
	}
	for _, s := range typed.Subprocessors {
		p.subprocessors = append(p.subprocessors, s.Name)
	}
	// The totals: everything but the lists that come page by page and the cursor.
	delete(raw, "subprocessors")
	delete(raw, "next_cursor")
	for _, c := range raw["categories"].([]any) {
		delete(c.(map[string]any), "received_from")
		delete(c.(map[string]any), "passed_on")
	}
	b, _ = json.Marshal(raw)
	p.totals = string(b)
	return p
}

// Paging through the impact of an incident at a hub with a small limit gives every
// received origin and every sub-processor exactly once, in order, each sub-processor
// with what passes on to it; the totals and the spokesperson's sentence are those of
// the whole chain on every page, and the last page has no next cursor.
func TestIncidentImpactPagesThroughAHub(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		const subs = 53
		_, impact := hubRegister(t, h, subs)

		whole := readImpactPage(t, h, impact+"?limit=500")
		if whole.next != nil || whole.count != subs+1 || len(whole.subprocessors) != subs+1 || len(whole.origins) != 3 {
			t.Fatalf("one page of 500: next %v, %d sub-processors counted, %d listed, origins %v",
				whole.next, whole.count, len(whole.subprocessors), whole.origins)
		}
		wantOrigins := []string{"contact_details:Feeder A (Feeder A>Hub Host)", "contact_details:Feeder B (Feeder B>Hub Host)",
			"contact_details:Feeder C (Feeder C>Hub Host)"}
		if !reflect.DeepEqual(whole.origins, wantOrigins) {
			t.Fatalf("origins %v", whole.origins)
		}
		if whole.subprocessors[0] != "deep Archive" || whole.subprocessors[1] != "Sub 01" || whole.subprocessors[subs] != fmt.Sprintf("Sub %02d", subs) {
			t.Fatalf("sub-processors not by name: %v", whole.subprocessors)
		}
		if !strings.Contains(strings.Join(whole.passedOn, "|"), "political_opinions:deep Archive (Hub Host>Sub 03>deep Archive)") {
			t.Fatalf("passed on %v", whole.passedOn)
		}
		wantNames := fmt.Sprintf("it passes data on to %d sub-processors (deep Archive, Sub 01, Sub 02, Sub 03, Sub 04 and %d others)", subs+1, subs-4)
		if !strings.Contains(whole.summary, wantNames) {
			t.Fatalf("summary %q, want it to contain %q", whole.summary, wantNames)
		}

		// The default page is 50 entries: the three origins, then 47 sub-processors.
		first := readImpactPage(t, h, impact)
		if first.next == nil || len(first.origins)+len(first.subprocessors) != register.DefaultLimit || first.totals != whole.totals {
			t.Fatalf("default page: %d origins and %d sub-processors, next %v", len(first.origins), len(first.subprocessors), first.next)
		}

		const limit = 4
		var origins, subprocessors, passedOn []string
		pages := 0
		for path := impact + fmt.Sprintf("?limit=%d", limit); ; pages++ {
			if pages > 20 {
				t.Fatal("the pages never end")
			}
			p := readImpactPage(t, h, path)
			if p.totals != whole.totals {
				t.Fatalf("page %d totals differ:\n%s\nwant:\n%s", pages, p.totals, whole.totals)
			}
			if p.summary != whole.summary || p.count != subs+1 {
				t.Fatalf("page %d: summary %q, %d sub-processors", pages, p.summary, p.count)
			}
			if n := len(p.origins) + len(p.subprocessors); n > limit || (p.next != nil && n != limit) {
				t.Fatalf("page %d has %d entries (limit %d), next %v", pages, n, limit, p.next)
			}
			onPage := map[string]bool{}
			for _, s := range p.subprocessors {
				onPage[s] = true
			}
			for _, d := range p.passedOn {
				name := d[strings.Index(d, ":")+1 : strings.Index(d, " (")]
				if !onPage[name] {
					t.Fatalf("page %d passes on to %s, which is not among its sub-processors %v", pages, name, p.subprocessors)
				}
			}
			origins = append(origins, p.origins...)
			subprocessors = append(subprocessors, p.subprocessors...)
			passedOn = append(passedOn, p.passedOn...)
			if p.next == nil {
				break
			}
			path = impact + fmt.Sprintf("?limit=%d&cursor=%s", limit, *p.next)
		}
		if want := (3 + subs + 1 + limit - 1) / limit; pages+1 != want {
			t.Errorf("%d pages, want %d", pages+1, want)
		}
		if !reflect.DeepEqual(origins, whole.origins) || !reflect.DeepEqual(subprocessors, whole.subprocessors) {
			t.Fatalf("walked origins %v and sub-processors %v, want %v and %v", origins, subprocessors, whole.origins, whole.subprocessors)
		}
		sort.Strings(passedOn)
		wantPassed := append([]string(nil), whole.passedOn...)
		sort.Strings(wantPassed)
		if !reflect.DeepEqual(passedOn, wantPassed) {
			t.Fatalf("walked passed_on %v, want %v", passedOn, wantPassed)
		}
	})
}

// A cursor the impact did not issue, or a limit out of range, is a 400 problem naming
// the parameter, as for exposure; so is any other query parameter.
func TestIncidentImpactRejectsBadPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r, impact := hubRegister(t, h, 3)
		other := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: map[string]any{
			"supplier_id": r.ids["Sub 03"], "summary": "x", "aware_at": t0.Format(time.RFC3339)}}).status(201).object()
		cursorOf := func(path string) string {
			var p struct {
				NextCursor *string `json:"next_cursor"`
			}
			h.do(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&p)
			if p.NextCursor == nil {
				t.Fatalf("%s: no next cursor", path)
			}
			return *p.NextCursor
		}
		exposure := cursorOf("/api/v1/exposure?category=political_opinions&limit=1")
		otherImpact := cursorOf("/api/v1/incidents/" + other["id"].(string) + "/impact?limit=1")
		cases := []struct{ query, field string }{
			{"cursor=bogus", "cursor"},
			{"cursor=" + exposure, "cursor"},
			{"cursor=" + otherImpact, "cursor"},
			{"limit=0", "limit"},
			{"limit=501", "limit"},
			{"limit=ten", "limit"},
			{"sort=name", "sort"},
		}
		for _, tc := range cases {
			res := h.do(request{method: "GET", path: impact + "?" + tc.query, role: register.RoleViewer}).status(400)
			if got := res.fieldErrors(); len(got) != 1 || !strings.HasPrefix(got[0], tc.field) {
				t.Errorf("%s: field errors %v, want one on %s", tc.query, got, tc.field)
			}
		}
		// The same cursor reads the same next page.
		next := cursorOf(impact + "?limit=2")
		h.validRequest(request{method: "GET", path: impact + "?limit=2&cursor=" + next, role: register.RoleViewer}).status(200)
	})
}
