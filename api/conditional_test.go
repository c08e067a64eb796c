package api_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// taggedVersion reports whether an ETag is a resource's representation tag at a
// version: "7-" and 32 hex digits of its hash.
func taggedVersion(tag string, version int) bool {
	return regexp.MustCompile(`^"` + strconv.Itoa(version) + `-[0-9a-f]{32}"$`).MatchString(tag)
}

// A list and an item answer 304 to If-None-Match with their ETag, and 200 with a new
// one after a change on the page and after a change of a computed figure shown in
// it; HEAD answers as GET without the body; a PATCH sent with the ETag of a
// preceding GET succeeds even after a computed figure changed, and one sent with an
// older version's is 412.
func TestConditionalReads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		id := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(201).object()["id"].(string)
		item, list := "/api/v1/suppliers/"+id, "/api/v1/suppliers?sort=name"
		get := func(path, inm string) *response {
			t.Helper()
			r := request{method: "GET", path: path, role: register.RoleViewer}
			if inm != "" {
				r.header = map[string]string{"If-None-Match": inm}
			}
			return h.validRequest(r)
		}
		notModified := func(path, inm, tag string) {
			t.Helper()
			res := get(path, inm).status(304)
			if res.Body.Len() != 0 || res.Header().Get("ETag") != tag || res.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("GET %s with If-None-Match %s: %d bytes, ETag %q, Cache-Control %q", path, inm, res.Body.Len(),
					res.Header().Get("ETag"), res.Header().Get("Cache-Control"))
			}
		}

		first := get(item, "").status(200)
		itemTag := first.Header().Get("ETag")
		if !taggedVersion(itemTag, 1) {
			t.Fatalf("item ETag %q", itemTag)
		}
		notModified(item, itemTag, itemTag)
		notModified(item, `"other", W/`+itemTag, itemTag) // If-None-Match compares weakly, in a list
		listTag := get(list, "").status(200).Header().Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(listTag) {
			t.Fatalf("list ETag %q", listTag)
		}
		notModified(list, listTag, listTag)

		// HEAD: the GET's status and headers, no body.
		head := h.do(request{method: "HEAD", path: item, role: register.RoleViewer}).status(200)
		if head.Body.Len() != 0 || head.Header().Get("ETag") != itemTag ||
			head.Header().Get("Content-Length") != strconv.Itoa(first.Body.Len()) {
			t.Fatalf("HEAD: %d bytes, ETag %q, Content-Length %q", head.Body.Len(), head.Header().Get("ETag"), head.Header().Get("Content-Length"))
		}
		h.do(request{method: "HEAD", path: list, role: register.RoleViewer, header: map[string]string{"If-None-Match": listTag}}).status(304)
		h.do(request{method: "HEAD", path: item}).status(401)

		// A change on the page: the item and the list answer 200 with new tags.
		h.clock.Advance(60e9)
		patched := h.validRequest(request{method: "PATCH", path: item, role: register.RoleEditor,
			contentType: "application/merge-patch+json", header: map[string]string{"If-Match": itemTag},
			body: map[string]any{"notes": "renewal due"}}).status(200)
		v2Tag := patched.Header().Get("ETag")
		if !taggedVersion(v2Tag, 2) || get(item, itemTag).status(200).Header().Get("ETag") != v2Tag {
			t.Fatalf("after the change: PATCH ETag %q", v2Tag)
		}
		listTag2 := get(list, listTag).status(200).Header().Get("ETag")
		if listTag2 == listTag {
			t.Fatal("the list's ETag did not change with an item on its page")
		}

		// A change of a computed figure only (a holding changes the supplier's risk
		// shown in the list and at /risk; the supplier's version stays 2).
		risk := item + "/risk"
		riskTag := get(risk, "").status(200).Header().Get("ETag")
		h.validRequest(request{method: "POST", path: item + "/data-holdings", role: register.RoleEditor,
			body: map[string]any{"category": "political_opinions", "data_subjects": []string{"members"}, "record_count": 5000}}).status(201)
		if get(risk, riskTag).status(200).Header().Get("ETag") == riskTag {
			t.Fatal("the risk's ETag did not change with its figures")
		}
		if get(list, listTag2).status(200).Header().Get("ETag") == listTag2 {
			t.Fatal("the list's ETag did not change with a computed figure on its page")
		}
		// The ETag of the GET before the figure changed still names the current version.
		h.clock.Advance(60e9)
		v3 := h.validRequest(request{method: "PATCH", path: item, role: register.RoleEditor, contentType: "application/merge-patch+json",
			header: map[string]string{"If-Match": v2Tag}, body: map[string]any{"notes": "renewed"}}).status(200)
		for _, stale := range []string{v2Tag, itemTag, `"2"`} {
			h.validRequest(request{method: "PATCH", path: item, role: register.RoleEditor, contentType: "application/merge-patch+json",
				header: map[string]string{"If-Match": stale}, body: map[string]any{"notes": "again"}}).status(412)
		}
		h.validRequest(request{method: "PATCH", path: item, role: register.RoleEditor, contentType: "application/merge-patch+json",
			header: map[string]string{"If-Match": `"3"`}, body: map[string]any{"notes": "bare version"}}).status(200)
		if !taggedVersion(v3.Header().Get("ETag"), 3) {
			t.Fatalf("v3 ETag %q", v3.Header().Get("ETag"))
		}
	})
}

// Every GET route answers HEAD with the GET's status and no body.
func TestEveryGETAnswersHEAD(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	for _, r := range api.RouteTable() {
		if r.Method != "GET" {
			continue
		}
		path := regexp.MustCompile(`:[a-z_]+`).ReplaceAllString(r.Path, "01900000-0000-7000-8000-000000000000")
		role := r.Role
		if role == "" {
			role = register.RoleViewer
		}
		get := h.do(request{method: "GET", path: path, role: role})
		head := h.do(request{method: "HEAD", path: path, role: role})
		if head.Code != get.Code || head.Body.Len() != 0 {
			t.Errorf("HEAD %s: %d with %d bytes; GET: %d", path, head.Code, head.Body.Len(), get.Code)
		}
		for _, name := range []string{"ETag", "Content-Type", "Cache-Control", "Content-Security-Policy"} {
			if get.Code == 200 && head.Header().Get(name) != get.Header().Get(name) {
				t.Errorf("HEAD %s: %s %q, GET's %q", path, name, head.Header().Get(name), get.Header().Get(name))
			}
		}
	}
}

// updated_since (RFC 3339, inclusive) returns exactly the rows changed at or after
// the moment, for suppliers and incidents; its cursors page that filtered list only.
func TestUpdatedSince(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		var ids []string
		for _, name := range []string{"Alder Print", "Birch Mail", "Cedar Hosting"} {
			ids = append(ids, h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
				body: map[string]any{"name": name, "criticality": "low"}}).status(201).object()["id"].(string))
		}
		inc := h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": ids[0], "aware_at": "2026-11-23T08:00:00Z", "summary": "lost laptop"}}).status(201).object()["id"].(string)
		h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": ids[1], "aware_at": "2026-11-23T08:10:00Z", "summary": "phishing"}}).status(201)

		var holdings []string
		for _, cat := range []string{"contact_details", "financial"} {
			holdings = append(holdings, h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + ids[0] + "/data-holdings",
				role: register.RoleEditor, body: map[string]any{"category": cat, "data_subjects": []string{"members"}, "record_count": 10}}).status(201).object()["id"].(string))
		}

		h.clock.Advance(3600e9) // 10:00
		since := "2026-11-23T10:00:00Z"
		for _, id := range []string{ids[2], ids[0]} {
			h.validRequest(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
				contentType: "application/merge-patch+json", body: map[string]any{"notes": "reviewed"}}).status(200)
		}
		h.validRequest(request{method: "PATCH", path: "/api/v1/incidents/" + inc, role: register.RoleEditor,
			contentType: "application/merge-patch+json", body: map[string]any{"status": "contained"}}).status(200)

		h.validRequest(request{method: "PATCH", path: "/api/v1/data-holdings/" + holdings[1], role: register.RoleEditor,
			contentType: "application/merge-patch+json", body: map[string]any{"record_count": 20}}).status(200)
		h.validRequest(request{method: "DELETE", path: "/api/v1/api-keys/" + h.ids[register.RoleEditor], role: register.RoleAdmin}).status(204)

		names := func(path string) []string {
			t.Helper()
			var out []string
			var page struct{ Items []struct{ ID string } }
			h.validRequest(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&page)
			for _, it := range page.Items {
				out = append(out, it.ID)
			}
			return out
		}
		if got := names("/api/v1/suppliers?updated_since=" + since); len(got) != 2 || got[0] != ids[0] || got[1] != ids[2] {
			t.Fatalf("suppliers updated since %s: %v, want %v", since, got, []string{ids[0], ids[2]})
		}
		if got := names("/api/v1/suppliers?updated_since=2026-11-23T10:00:00.000001Z"); len(got) != 0 {
			t.Fatalf("suppliers updated after the changes: %v", got)
		}
		if got := names("/api/v1/suppliers?updated_since=2026-11-23T09:00:00Z"); len(got) != 3 {
			t.Fatalf("inclusive: %v", got)
		}
		if got := names("/api/v1/incidents?updated_since=" + since); len(got) != 1 || got[0] != inc {
			t.Fatalf("incidents updated since %s: %v", since, got)
		}
		if got := names("/api/v1/suppliers/" + ids[0] + "/data-holdings?updated_since=" + since); len(got) != 1 || got[0] != holdings[1] {
			t.Fatalf("holdings updated since %s: %v", since, got)
		}
		if got := names("/api/v1/data-categories?updated_since=" + since); len(got) != 0 {
			t.Fatalf("categories updated since %s: %v", since, got)
		}
		var keys struct{ Items []struct{ ID string } }
		h.validRequest(request{method: "GET", path: "/api/v1/api-keys?updated_since=" + since, role: register.RoleAdmin}).status(200).json(&keys)
		if len(keys.Items) != 1 || keys.Items[0].ID != h.ids[register.RoleEditor] {
			t.Fatalf("keys updated since %s: %v", since, keys.Items)
		}
		// A cursor of the filtered list pages it; on another filter it is refused.
		first := h.validRequest(request{method: "GET", path: "/api/v1/suppliers?limit=1&updated_since=" + since, role: register.RoleViewer}).status(200)
		cur := first.object()["next_cursor"].(string)
		if got := names("/api/v1/suppliers?limit=1&updated_since=" + since + "&cursor=" + cur); len(got) != 1 || got[0] != ids[2] {
			t.Fatalf("second page: %v", got)
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?limit=1&cursor=" + cur, role: register.RoleViewer}).status(400)
		h.do(request{method: "GET", path: "/api/v1/suppliers?updated_since=yesterday", role: register.RoleViewer}).status(400)
	})
}

// A report rendering answers 304 to its ETag and HEAD with no body; neither is a
// download, so neither is recorded in the audit trail as one.
func TestReportDownloadsAreConditional(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		id := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor,
			body: map[string]any{"quarter": "2026-Q4"}}).status(201).object()["id"].(string)
		downloads := func() int {
			t.Helper()
			var page struct{ Items []json.RawMessage }
			h.do(request{method: "GET", path: "/api/v1/audit-events?action=download&limit=500", role: register.RoleAdmin}).status(200).json(&page)
			return len(page.Items)
		}
		pdf := "/api/v1/reports/" + id + "?format=pdf"
		got := h.validRequest(request{method: "GET", path: pdf, role: register.RoleViewer}).status(200)
		tag := got.Header().Get("ETag")
		if !taggedVersion(tag, 1) || downloads() != 1 {
			t.Fatalf("ETag %q, %d downloads", tag, downloads())
		}
		h.validRequest(request{method: "GET", path: pdf, role: register.RoleViewer, header: map[string]string{"If-None-Match": tag}}).status(304)
		if head := h.do(request{method: "HEAD", path: pdf, role: register.RoleViewer}).status(200); head.Body.Len() != 0 || head.Header().Get("ETag") != tag {
			t.Fatalf("HEAD: %d bytes, ETag %q", head.Body.Len(), head.Header().Get("ETag"))
		}
		if n := downloads(); n != 1 {
			t.Fatalf("%d downloads recorded after a 304 and a HEAD, want 1", n)
		}
	})
}
