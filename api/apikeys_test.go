package api_test

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestAPIKeysThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		res := h.validRequest(request{method: "POST", path: "/api/v1/api-keys", role: register.RoleAdmin,
			body: map[string]any{"name": "procurement-scripts", "role": "editor", "expires_at": "2027-01-01T00:00:00Z"}}).status(201)
		k := res.object()
		secret, _ := k["secret"].(string)
		if !strings.HasPrefix(secret, "wl_") || k["role"] != "editor" || k["state"] != "active" || k["created_by"] != h.ids[register.RoleAdmin] {
			t.Fatalf("created key: %v", k)
		}
		// The secret is shown once: never in a read or a list, and never in the audit trail.
		one := h.do(request{method: "GET", path: "/api/v1/api-keys/" + k["id"].(string), role: register.RoleAdmin}).status(200)
		list := h.validRequest(request{method: "GET", path: "/api/v1/api-keys?limit=2", role: register.RoleAdmin}).status(200)
		audit := h.do(request{method: "GET", path: "/api/v1/audit-events", role: register.RoleAdmin}).status(200)
		for _, body := range []string{one.Body.String(), list.Body.String(), audit.Body.String()} {
			if strings.Contains(body, secret) || strings.Contains(body, `"secret"`) {
				t.Fatalf("secret leaked: %s", body)
			}
		}
		var page struct {
			Items      []map[string]any
			NextCursor *string `json:"next_cursor"`
		}
		list.json(&page)
		if len(page.Items) != 2 || page.NextCursor == nil {
			t.Fatalf("first page: %s", list.Body.String())
		}
		h.do(request{method: "GET", path: "/api/v1/api-keys?limit=2&cursor=" + *page.NextCursor, role: register.RoleAdmin}).status(200).json(&page)
		if len(page.Items) != 2 || page.NextCursor != nil {
			t.Fatalf("second page: %v", page)
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers", key: secret}).status(200)
		h.do(request{method: "DELETE", path: "/api/v1/api-keys/" + k["id"].(string), role: register.RoleAdmin,
			header: map[string]string{"If-Match": `"1"`}}).status(204)
		h.do(request{method: "GET", path: "/api/v1/suppliers", key: secret}).status(401)
		revoked := h.do(request{method: "GET", path: "/api/v1/api-keys/" + k["id"].(string), role: register.RoleAdmin}).status(200).object()
		if revoked["state"] != "revoked" || revoked["revoked_at"] == nil || revoked["version"] != 2.0 {
			t.Fatalf("revoked key: %v", revoked)
		}
		h.do(request{method: "DELETE", path: "/api/v1/api-keys/" + k["id"].(string), role: register.RoleAdmin}).status(409)
		fe := h.do(request{method: "POST", path: "/api/v1/api-keys", role: register.RoleAdmin,
			body: map[string]any{"name": "", "role": "root"}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "name: is required;role: must be one of admin, editor, viewer" {
			t.Fatalf("errors %v", fe)
		}
	})
}

func TestAuditEventsPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		for _, n := range []string{"A", "B", "C"} {
			h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
				body: map[string]any{"name": n, "criticality": "low"}}).status(201)
		}
		var page struct {
			Items      []map[string]any
			NextCursor *string `json:"next_cursor"`
		}
		var seqs []float64
		path := "/api/v1/audit-events?action=create&resource_type=supplier&limit=2"
		for {
			h.validRequest(request{method: "GET", path: path, role: register.RoleAdmin}).status(200).json(&page)
			for _, e := range page.Items {
				seqs = append(seqs, e["seq"].(float64))
			}
			if page.NextCursor == nil {
				break
			}
			path = "/api/v1/audit-events?action=create&resource_type=supplier&limit=2&cursor=" + *page.NextCursor
		}
		// Three key creations came first (seq 1–3); the suppliers are 4–6, newest first.
		if len(seqs) != 3 || seqs[0] != 6 || seqs[2] != 4 {
			t.Fatalf("seqs %v", seqs)
		}
	})
}
