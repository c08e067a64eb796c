package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// access is the expected authorisation of every route: "public", or the least role
// that gets past authorisation. A route missing here fails the test.
var access = map[string]string{
	"GET /":                  "public",
	"GET /healthz":           "public",
	"GET /readyz":            "public",
	"GET /metrics":           "public",
	"GET /openapi.yaml":      "public",
	"GET /docs":              "public",
	"GET /docs/reference":    "public",
	"GET /docs/assets/:file": "public",
	// The supplier portal: only an invitation link's secret, or the session it gives,
	// opens it; no API key does.
	"GET /portal/i/:secret":                      "link",
	"GET /portal/assessment":                     "session",
	"POST /portal/assessment":                    "session",
	"GET /portal/api/assessment":                 "bearer",
	"PATCH /portal/api/assessment":               "bearer",
	"POST /portal/api/assessment/submit":         "bearer",
	"POST /portal/api/assessment/evidence":       "bearer",
	"GET /portal/api/assessment/evidence/:id":    "bearer",
	"DELETE /portal/api/assessment/evidence/:id": "bearer",
	"GET /api/v1/assessments/:id/evidence":       "viewer",
	"GET /api/v1/assessments/:id/sheet":          "viewer",
	"PUT /api/v1/assessments/:id/sheet":          "editor",
	"GET /portal/assessment/sheet":               "session",
	"POST /portal/assessment/sheet":              "session",
	"GET /portal/api/assessment/sheet":           "bearer",
	"PUT /portal/api/assessment/sheet":           "bearer",
	"GET /api/v1/evidence/:id":                   "viewer",
	"GET /api/v1/suppliers":                      "viewer",
	"POST /api/v1/suppliers":                     "editor",
	"GET /api/v1/suppliers/:id":                  "viewer",
	"PATCH /api/v1/suppliers/:id":                "editor",
	"DELETE /api/v1/suppliers/:id":               "editor",
	"GET /api/v1/api-keys":                       "admin",
	"POST /api/v1/api-keys":                      "admin",
	"GET /api/v1/api-keys/:id":                   "admin",
	"DELETE /api/v1/api-keys/:id":                "admin",
	"GET /api/v1/audit-events":                   "admin",

	"POST /api/v1/assessments/:id/invitations": "editor",
	"GET /api/v1/assessments/:id/invitations":  "viewer",
	"GET /api/v1/invitations":                  "viewer",
	"DELETE /api/v1/invitations/:id":           "editor",

	"GET /api/v1/suppliers/:id/data-flows":                        "viewer",
	"GET /api/v1/data-categories":                                 "viewer",
	"POST /api/v1/data-categories":                                "admin",
	"GET /api/v1/data-categories/:key":                            "viewer",
	"PATCH /api/v1/data-categories/:key":                          "admin",
	"DELETE /api/v1/data-categories/:key":                         "admin",
	"GET /api/v1/suppliers/:id/data-holdings":                     "viewer",
	"POST /api/v1/suppliers/:id/data-holdings":                    "editor",
	"GET /api/v1/data-holdings/:id":                               "viewer",
	"PATCH /api/v1/data-holdings/:id":                             "editor",
	"DELETE /api/v1/data-holdings/:id":                            "editor",
	"GET /api/v1/suppliers/:id/subprocessors":                     "viewer",
	"POST /api/v1/suppliers/:id/subprocessors":                    "editor",
	"PATCH /api/v1/suppliers/:id/subprocessors/:subprocessor_id":  "editor",
	"DELETE /api/v1/suppliers/:id/subprocessors/:subprocessor_id": "editor",
	"GET /api/v1/exposure":                                        "viewer",
	"GET /api/v1/incidents":                                       "viewer",
	"POST /api/v1/incidents":                                      "editor",
	"GET /api/v1/incidents/:id":                                   "viewer",
	"PATCH /api/v1/incidents/:id":                                 "editor",
	"GET /api/v1/incidents/:id/impact":                            "viewer",
	"GET /api/v1/questionnaires":                                  "viewer",
	"POST /api/v1/questionnaires":                                 "admin",
	"GET /api/v1/questionnaires/:id":                              "viewer",
	"PATCH /api/v1/questionnaires/:id":                            "admin",
	"POST /api/v1/questionnaires/:id/publish":                     "admin",
	"POST /api/v1/questionnaires/:id/versions":                    "admin",
	"GET /api/v1/suppliers/:id/assessments":                       "viewer",
	"POST /api/v1/suppliers/:id/assessments":                      "editor",
	"GET /api/v1/assessments/:id":                                 "viewer",
	"PATCH /api/v1/assessments/:id":                               "editor",
	"POST /api/v1/assessments/:id/submit":                         "editor",
	"POST /api/v1/assessments/:id/review":                         "editor",
	"GET /api/v1/suppliers/:id/risk":                              "viewer",
	"GET /api/v1/suppliers/:id/risk/history":                      "viewer",
	"GET /api/v1/weak-links":                                      "viewer",
	"GET /api/v1/suppliers/:id/risk-acceptances":                  "viewer",
	"POST /api/v1/suppliers/:id/risk-acceptances":                 "admin",
	"DELETE /api/v1/risk-acceptances/:id":                         "admin",
	"GET /api/v1/reports":                                         "viewer",
	"POST /api/v1/reports":                                        "editor",
	"GET /api/v1/reports/:id":                                     "viewer",
	"POST /api/v1/imports":                                        "editor",
	"GET /api/v1/imports/template":                                "viewer",
	"GET /api/v1/exports":                                         "viewer",
}

func TestEveryRouteAgainstEveryRole(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	h := newHarness(t, st)
	rank := map[string]int{"viewer": 1, "editor": 2, "admin": 3}
	seen := map[string]bool{}
	for _, r := range api.RouteTable() {
		name := r.Method + " " + r.Path
		seen[name] = true
		want, ok := access[name]
		if !ok {
			t.Errorf("route %s has no expected answer in the access table", name)
			continue
		}
		path := samplePath(r.Path)
		for _, role := range []string{"", "viewer", "editor", "admin"} {
			// An empty object is an invalid body for every write: a caller without the
			// role must still get 403, because authorisation comes before validation.
			var body any
			if r.Method == http.MethodPost || r.Method == http.MethodPatch {
				body = map[string]any{}
			}
			res := h.do(request{method: r.Method, path: path, role: register.Role(role), body: body})
			switch {
			case want == "link":
				if res.Code != http.StatusNotFound {
					t.Errorf("%s as %q: %d, want 404 for a secret that names no invitation", name, role, res.Code)
				}
			case want == "session":
				if res.Code != http.StatusUnauthorized || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") {
					t.Errorf("%s as %q: %d, want the 401 page: no API key opens a portal session", name, role, res.Code)
				}
			case want == "bearer":
				if res.Code != http.StatusUnauthorized || !strings.HasPrefix(res.Header().Get("WWW-Authenticate"), `Bearer realm="weaklink portal"`) {
					t.Errorf("%s as %q: %d, want 401 with the portal's challenge: an API key is no invitation secret", name, role, res.Code)
				}
			case want == "public":
				if res.Code == 401 || res.Code == 403 {
					t.Errorf("%s as %q: %d, want a public route", name, role, res.Code)
				}
			case role == "":
				if res.Code != 401 || !strings.HasPrefix(res.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s without a key: %d, want 401 with WWW-Authenticate", name, res.Code)
				}
			case rank[role] < rank[want]:
				if res.Code != 403 {
					t.Errorf("%s as %s: %d, want 403", name, role, res.Code)
				}
			default:
				if res.Code == 401 || res.Code == 403 {
					t.Errorf("%s as %s: %d, want access", name, role, res.Code)
				}
			}
		}
	}
	for name := range access {
		if !seen[name] {
			t.Errorf("access table names %s, which the router does not have", name)
		}
	}
}

// The router and openapi.yaml must list exactly the same operations.
func TestRoutesMatchContract(t *testing.T) {
	doc, _, _ := loadContract(t)
	var inSpec, inRouter []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(path).Operations() {
			inSpec = append(inSpec, method+" "+path)
		}
	}
	for _, r := range api.RouteTable() {
		inRouter = append(inRouter, r.Method+" "+specPath(r.Path))
	}
	sort.Strings(inSpec)
	sort.Strings(inRouter)
	if strings.Join(inSpec, "\n") != strings.Join(inRouter, "\n") {
		t.Fatalf("router and openapi.yaml differ\nrouter:\n  %s\nspec:\n  %s",
			strings.Join(inRouter, "\n  "), strings.Join(inSpec, "\n  "))
	}
	// Each /api/v1 operation documents the role it needs, matching the router.
	for _, r := range api.RouteTable() {
		if r.Role == "" {
			continue
		}
		path := specPath(r.Path)
		op := doc.Paths.Value(path).GetOperation(r.Method)
		if got, _ := op.Extensions["x-min-role"].(string); got != string(r.Role) {
			t.Errorf("%s %s: x-min-role %q, router requires %q", r.Method, path, got, r.Role)
		}
	}
}

func TestRevokedAndExpiredKeysStopAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
		h.do(request{method: "DELETE", path: "/api/v1/api-keys/" + h.ids[register.RoleViewer], role: register.RoleAdmin}).status(204)
		h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(401)

		res := h.do(request{method: "POST", path: "/api/v1/api-keys", role: register.RoleAdmin,
			body: map[string]any{"name": "temp", "role": "viewer", "expires_at": t0.Add(3600e9).Format("2006-01-02T15:04:05Z")}}).status(201)
		var k struct{ ID, Secret string }
		res.json(&k)
		h.do(request{method: "GET", path: "/api/v1/suppliers", key: k.Secret}).status(200)
		h.clock.Advance(3600e9)
		h.do(request{method: "GET", path: "/api/v1/suppliers", key: k.Secret}).status(401)
		_ = context.Background()
	})
}

// specPath turns gin's /x/:id into OpenAPI's /x/{id}.
func specPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// samplePath fills every path parameter with a plausible value that names nothing.
func samplePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		switch {
		case s == ":key":
			segs[i] = "no_such_category"
		case strings.HasPrefix(s, ":"):
			segs[i] = "01900000-0000-7000-8000-00000000dead"
		}
	}
	return strings.Join(segs, "/")
}
