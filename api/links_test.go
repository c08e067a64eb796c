package api_test

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// linkAnswer is a sub-processor link as the API answers it.
type linkAnswer struct {
	Version      int      `json:"version"`
	Categories   []string `json:"categories"`
	AuthorisedAt *string  `json:"authorised_at"`
	RecordCount  *int64   `json:"record_count"`
}

// A link's record_count is accepted on create and shown; PATCH changes authorised_at,
// categories and record_count by merge patch, honours If-Match, is audited, refuses
// bad values and the sub-processor's id, and writes nothing when nothing changes.
func TestPatchSubprocessorLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		a := r.supplier("Alpha", "low", "GB")
		b := r.supplier("Bravo", "low", "GB")
		path := "/api/v1/suppliers/" + a + "/subprocessors/" + b
		var got linkAnswer
		h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleEditor,
			body: map[string]any{"subprocessor_id": b, "categories": []string{"contact_details"}, "record_count": 20000}}).status(201).json(&got)
		if got.RecordCount == nil || *got.RecordCount != 20000 || got.AuthorisedAt != nil || got.Version != 1 {
			t.Fatalf("created %+v", got)
		}
		fe := h.do(request{method: "POST", path: "/api/v1/suppliers/" + b + "/subprocessors", role: register.RoleEditor,
			body: map[string]any{"subprocessor_id": a, "categories": []string{"health"}, "record_count": -1}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "record_count: must be 0 or more" {
			t.Errorf("negative record_count on create: %v", fe)
		}

		res := h.validRequest(request{method: "PATCH", path: path, role: register.RoleEditor, contentType: "application/merge-patch+json",
			header: map[string]string{"If-Match": `"1"`},
			body:   map[string]any{"authorised_at": "2024-03-01", "categories": []string{"contact_details", "political_opinions"}, "record_count": nil}}).status(200)
		res.json(&got)
		if !taggedVersion(res.Header().Get("ETag"), 2) || got.Version != 2 || got.RecordCount != nil || got.AuthorisedAt == nil ||
			*got.AuthorisedAt != "2024-03-01" || strings.Join(got.Categories, ",") != "contact_details,political_opinions" {
			t.Fatalf("patched %+v (ETag %s)", got, res.Header().Get("ETag"))
		}
		var list struct{ Items []linkAnswer }
		h.do(request{method: "GET", path: "/api/v1/suppliers/" + a + "/subprocessors", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 1 || list.Items[0].Version != 2 || len(list.Items[0].Categories) != 2 {
			t.Fatalf("list after patch %+v", list)
		}

		h.do(request{method: "PATCH", path: path, role: register.RoleEditor, header: map[string]string{"If-Match": `"1"`},
			body: map[string]any{"record_count": 5}}).status(412)
		h.do(request{method: "PATCH", path: path, role: register.RoleViewer, body: map[string]any{"record_count": 5}}).status(403)
		h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + b + "/subprocessors/" + a, role: register.RoleEditor,
			body: map[string]any{"record_count": 5}}).status(404)
		bad := []struct {
			name string
			body map[string]any
			want string
		}{
			{"negative count", map[string]any{"record_count": -5}, "record_count: must be 0 or more"},
			{"no categories", map[string]any{"categories": []string{}}, "categories: is required: name the categories of data passed on"},
			{"future authorisation", map[string]any{"authorised_at": "2099-01-01"}, "authorised_at: must not be in the future"},
			{"other sub-processor", map[string]any{"subprocessor_id": a}, "subprocessor_id: cannot be changed; it names the link"},
		}
		for _, tc := range bad {
			got := h.do(request{method: "PATCH", path: path, role: register.RoleEditor, body: tc.body}).status(400).fieldErrors()
			if strings.Join(got, ";") != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
			}
		}
		h.do(request{method: "PATCH", path: path, role: register.RoleEditor, body: map[string]any{"version": 9}}).status(400)

		// Nothing changed: same version, no audit event.
		h.do(request{method: "PATCH", path: path, role: register.RoleEditor, body: map[string]any{"authorised_at": "2024-03-01"}}).status(200).json(&got)
		if got.Version != 2 {
			t.Errorf("a patch that changes nothing made version %d", got.Version)
		}
		var audit struct {
			Items []struct {
				Action  string         `json:"action"`
				Changes map[string]any `json:"changes"`
			} `json:"items"`
		}
		h.do(request{method: "GET", path: "/api/v1/audit-events?resource_type=subprocessor_link", role: register.RoleAdmin}).status(200).json(&audit)
		if len(audit.Items) != 2 || audit.Items[0].Action != "update" || audit.Items[1].Action != "create" {
			t.Fatalf("audit %+v", audit.Items)
		}
		for _, field := range []string{"authorised_at", "categories", "record_count"} {
			if _, ok := audit.Items[0].Changes[field]; !ok {
				t.Errorf("the update's audit event does not record %s: %v", field, audit.Items[0].Changes)
			}
		}

		h.do(request{method: "DELETE", path: "/api/v1/suppliers/" + b, role: register.RoleEditor}).status(204)
		h.do(request{method: "PATCH", path: path, role: register.RoleEditor, body: map[string]any{"record_count": 5}}).status(409)
	})
}

// peopleAnswer is a people range as the API answers it.
type peopleAnswer struct {
	AtLeast int64 `json:"at_least"`
	AtMost  int64 `json:"at_most"`
}
