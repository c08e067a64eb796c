package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var quayside = map[string]any{
	"name": "Quayside Mail", "criticality": "high", "status": "active", "country": "GB",
	"services": "bulk email", "dpa_signed_at": "2024-02-01", "security_contact": "security@quayside.example",
	"breach_notification_hours": 24, "certifications": []any{map[string]any{"scheme": "iso27001", "expires_at": "2026-06-30"}},
}

func TestSupplierLifecycleThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		res := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(201)
		s := res.object()
		id := s["id"].(string)
		if res.Header().Get("Location") != "/api/v1/suppliers/"+id || !taggedVersion(res.Header().Get("ETag"), 1) {
			t.Fatalf("Location %q, ETag %q", res.Header().Get("Location"), res.Header().Get("ETag"))
		}
		if s["version"] != 1.0 || s["country"] != "GB" || s["created_at"] != "2026-11-23T09:00:00Z" || s["archived"] != false {
			t.Fatalf("created supplier: %v", s)
		}
		if res.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", res.Header().Get("Cache-Control"))
		}

		got := h.do(request{method: "GET", path: "/api/v1/suppliers/" + id, role: register.RoleViewer}).status(200)
		if got.Header().Get("ETag") != res.Header().Get("ETag") || got.object()["name"] != "Quayside Mail" {
			t.Fatalf("get: %s", got.Body.String())
		}

		// A merge patch: null removes, a value replaces, absent keys stay.
		h.clock.Advance(60e9)
		patched := h.validRequest(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
			contentType: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`},
			body: map[string]any{"country": nil, "criticality": "critical", "notes": "ransomware incident 2021"}}).status(200)
		p := patched.object()
		if p["country"] != nil || p["criticality"] != "critical" || p["services"] != "bulk email" || p["version"] != 2.0 ||
			p["updated_at"] != "2026-11-23T09:01:00Z" || !taggedVersion(patched.Header().Get("ETag"), 2) {
			t.Fatalf("patched: %v", p)
		}

		// What was stored is what was answered: timestamps come from the injected clock.
		if again := h.do(request{method: "GET", path: "/api/v1/suppliers/" + id, role: register.RoleViewer}).object(); again["updated_at"] != "2026-11-23T09:01:00Z" {
			t.Fatalf("stored updated_at %v", again["updated_at"])
		}

		// The stale ETag now fails, and so does a weak one.
		for _, tag := range []string{`"1"`, `W/"2"`} {
			h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
				header: map[string]string{"If-Match": tag}, body: map[string]any{"notes": "x"}}).status(412)
		}
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
			header: map[string]string{"If-Match": `"1"`}}).status(412)

		// Removing a required field is a field error, not a silent default.
		fe := h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
			body: map[string]any{"name": nil}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "name: is required" {
			t.Fatalf("field errors %v", fe)
		}

		list := h.validRequest(request{method: "GET", path: "/api/v1/suppliers?q=quay&status=active,onboarding&sort=-updated_at&limit=10", role: register.RoleViewer}).status(200)
		var page struct {
			Items      []map[string]any
			NextCursor *string `json:"next_cursor"`
		}
		list.json(&page)
		if len(page.Items) != 1 || page.NextCursor != nil {
			t.Fatalf("list: %s", list.Body.String())
		}

		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
			header: map[string]string{"If-Match": `"2"`}}).status(204)
		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + id, role: register.RoleEditor}).status(409)
		h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor, body: map[string]any{"notes": "x"}}).status(409)
		arch := h.do(request{method: "GET", path: "/api/v1/suppliers/" + id, role: register.RoleViewer}).status(200).object()
		if arch["archived"] != true || arch["archived_at"] == nil {
			t.Fatalf("archived: %v", arch)
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200).json(&page)
		if len(page.Items) != 0 {
			t.Fatal("archived supplier still listed")
		}
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers?include_archived=true", role: register.RoleViewer}).status(200).json(&page)
		if len(page.Items) != 1 {
			t.Fatal("include_archived=true does not list the archived supplier")
		}
		// Its name is free again.
		h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(201)
		h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(409)

		// Every change is in the audit trail, with who and what.
		var events struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/audit-events?resource_type=supplier&resource_id=" + id, role: register.RoleAdmin}).status(200).json(&events)
		var actions []string
		for _, e := range events.Items {
			actions = append(actions, e["action"].(string))
			if e["actor"].(map[string]any)["key_id"] != h.ids[register.RoleEditor] {
				t.Errorf("event actor %v", e["actor"])
			}
		}
		if strings.Join(actions, ",") != "archive,update,create" {
			t.Fatalf("audit actions %v", actions)
		}
	})
}

// Two clients holding the same ETag race to change a supplier: exactly one wins,
// the other gets 412 and nothing is lost silently.
func TestConcurrentConflictingUpdates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		id := h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(201).object()["id"].(string)
		for round := 0; round < 5; round++ {
			etag := h.do(request{method: "GET", path: "/api/v1/suppliers/" + id, role: register.RoleViewer}).Header().Get("ETag")
			codes := make([]int, 2)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res := h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
						header: map[string]string{"If-Match": etag},
						body:   map[string]any{"notes": fmt.Sprintf("round %d, writer %d", round, i)}})
					codes[i] = res.Code
				}()
			}
			close(start)
			wg.Wait()
			ok, stale := 0, 0
			for _, c := range codes {
				switch c {
				case http.StatusOK:
					ok++
				case http.StatusPreconditionFailed:
					stale++
				}
			}
			if ok != 1 || stale != 1 {
				t.Fatalf("round %d: statuses %v, want one 200 and one 412", round, codes)
			}
		}
	})
}

func TestSupplierValidationErrorsAreFieldLevel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		cases := []struct {
			name string
			body any
			want string
		}{
			{"missing required", map[string]any{}, "name: is required;criticality: is required"},
			{"read-only and unknown fields", map[string]any{"name": "x", "criticality": "low", "id": "x", "version": 3, "posture": 99},
				"id: is read-only and cannot be set;posture: is not a known field;version: is read-only and cannot be set"},
			{"wrong type", map[string]any{"name": "x", "criticality": "low", "breach_notification_hours": "a day"},
				"breach_notification_hours: must be a whole number"},
			{"unknown nested field", map[string]any{"name": "x", "criticality": "low", "certifications": []any{map[string]any{"scheme": "soc2", "expires_at": "2027-01-01", "auditor": "y"}}},
				"certifications[0].auditor: is not a known field"},
			{"bad values", map[string]any{"name": "x", "criticality": "extreme", "country": "UK", "contract_start": "01/02/2024"},
				"criticality: must be one of low, medium, high, critical;country: must be an ISO 3166-1 alpha-2 country code such as GB;contract_start: must be a date as YYYY-MM-DD"},
			{"not an object", []any{1, 2}, "body: must be a JSON object"},
			{"malformed JSON", `{"name": "x",`, "body: must be a JSON object (syntax error at byte 13)"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: tc.body}).status(400).fieldErrors()
				if strings.Join(got, ";") != tc.want {
					t.Fatalf("errors %q\nwant     %q", strings.Join(got, ";"), tc.want)
				}
			})
		}
	})
}
