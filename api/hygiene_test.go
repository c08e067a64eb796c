package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestProblemAnswers(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	h := newHarness(t, st)
	big := `{"name": "` + strings.Repeat("x", api.MaxJSONBody) + `", "criticality": "low"}`
	cases := []struct {
		name   string
		req    request
		status int
		field  string
	}{
		{"unknown route", request{method: "GET", path: "/api/v1/nothing-here", role: register.RoleAdmin}, 404, ""},
		{"unknown route outside the API", request{method: "GET", path: "/favicon.ico"}, 404, ""},
		{"method not allowed", request{method: "PUT", path: "/api/v1/suppliers", role: register.RoleAdmin}, 405, ""},
		{"unknown supplier", request{method: "GET", path: "/api/v1/suppliers/01900000-0000-7000-8000-000000000000", role: register.RoleViewer}, 404, ""},
		{"id that is not a UUID", request{method: "GET", path: "/api/v1/suppliers/1%27%20OR%201=1", role: register.RoleViewer}, 404, ""},
		{"body over 1 MiB", request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: big}, 413, ""},
		{"form instead of JSON", request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: "name=x", contentType: "application/x-www-form-urlencoded"}, 415, ""},
		{"limit over 500", request{method: "GET", path: "/api/v1/suppliers?limit=501", role: register.RoleViewer}, 400, "limit"},
		{"limit zero", request{method: "GET", path: "/api/v1/suppliers?limit=0", role: register.RoleViewer}, 400, "limit"},
		{"limit empty", request{method: "GET", path: "/api/v1/suppliers?limit=", role: register.RoleViewer}, 400, "limit"},
		{"NUL in a query value", request{method: "GET", path: "/api/v1/suppliers?q=a%00b", role: register.RoleViewer}, 400, "q"},
		{"NUL in a JSON string", request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: `{"name": "a\u0000b", "criticality": "low"}`}, 400, "name"},
		{"unknown sort", request{method: "GET", path: "/api/v1/suppliers?sort=colour", role: register.RoleViewer}, 400, "sort"},
		{"unknown filter value", request{method: "GET", path: "/api/v1/suppliers?criticality=severe", role: register.RoleViewer}, 400, "criticality"},
		{"unknown query parameter", request{method: "GET", path: "/api/v1/suppliers?colour=red", role: register.RoleViewer}, 400, "colour"},
		{"bad boolean", request{method: "GET", path: "/api/v1/suppliers?include_archived=maybe", role: register.RoleViewer}, 400, "include_archived"},
		{"bad cursor", request{method: "GET", path: "/api/v1/suppliers?cursor=%25%25", role: register.RoleViewer}, 400, "cursor"},
		{"bad audit time", request{method: "GET", path: "/api/v1/audit-events?since=yesterday", role: register.RoleAdmin}, 400, "since"},
		{"unknown audit resource type", request{method: "GET", path: "/api/v1/audit-events?resource_type=invoice", role: register.RoleAdmin}, 400, "resource_type"},
		{"unknown audit action", request{method: "GET", path: "/api/v1/audit-events?action=destroy", role: register.RoleAdmin}, 400, "action"},
		{"audit actor that is not a UUID", request{method: "GET", path: "/api/v1/audit-events?actor_key_id=bob", role: register.RoleAdmin}, 400, "actor_key_id"},
		{"cursor over 4096 characters", request{method: "GET", path: "/api/v1/suppliers?cursor=" + strings.Repeat("A", 4097), role: register.RoleViewer}, 400, "cursor"},
		{"malformed bearer", request{method: "GET", path: "/api/v1/suppliers", header: map[string]string{"Authorization": "Basic YWRtaW46YWRtaW4="}}, 401, ""},
		{"unknown key", request{method: "GET", path: "/api/v1/suppliers", key: "wl_not-a-real-key"}, 401, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(tc.req).status(tc.status)
			var p api.Problem
			res.json(&p)
			if p.Status != tc.status || p.Title == "" || p.Type == "" || p.Detail == "" || p.RequestID != res.Header().Get("X-Request-Id") {
				t.Fatalf("problem %+v", p)
			}
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Fatalf("errors %+v, want one for %s", p.Errors, tc.field)
			}
			if tc.status == 405 && res.Header().Get("Allow") == "" {
				t.Fatal("405 without Allow")
			}
		})
	}
}

func TestRequestIDIsEchoedOnlyWhenSane(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	res := h.do(request{method: "GET", path: "/healthz", header: map[string]string{"X-Request-Id": "abc-123.def"}})
	if got := res.Header().Get("X-Request-Id"); got != "abc-123.def" {
		t.Fatalf("echo: %q", got)
	}
	res = h.do(request{method: "GET", path: "/healthz", header: map[string]string{"X-Request-Id": "evil\" injected=1"}})
	if got := res.Header().Get("X-Request-Id"); got == "" || strings.Contains(got, "evil") {
		t.Fatalf("insane id kept: %q", got)
	}
}

func TestRateLimitPerKey(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.rateLimit, o.rateBurst = 1, 2 })
	get := func(role register.Role) *response {
		return h.do(request{method: "GET", path: "/api/v1/suppliers", role: role})
	}
	first := get(register.RoleViewer).status(200)
	if first.Header().Get("RateLimit") != `"per-key";r=1;t=1` || first.Header().Get("RateLimit-Policy") != `"per-key";q=2;w=2` {
		t.Fatalf("headers %q / %q", first.Header().Get("RateLimit"), first.Header().Get("RateLimit-Policy"))
	}
	get(register.RoleViewer).status(200)
	limited := get(register.RoleViewer).status(429)
	if limited.Header().Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", limited.Header().Get("Retry-After"))
	}
	// Another key has its own bucket.
	get(register.RoleEditor).status(200)
	h.clock.Advance(1e9)
	get(register.RoleViewer).status(200)
}

// X-Forwarded-For is believed only from configured proxies, so a client cannot put
// someone else's address into the audit trail.
func TestClientAddressInAuditTrail(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		want    string
	}{
		{"no trusted proxies", nil, "192.0.2.1"},
		{"trusted proxy", []string{"192.0.2.0/24"}, "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.trustedProxies = tc.proxies })
			h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside,
				header: map[string]string{"X-Forwarded-For": "203.0.113.7"}}).status(201)
			page, err := h.svc.ListAudit(context.Background(), register.AuditFilter{ResourceType: "supplier"})
			if err != nil || len(page.Items) != 1 {
				t.Fatal(err)
			}
			if page.Items[0].ClientIP != tc.want {
				t.Fatalf("client_ip %q, want %q", page.Items[0].ClientIP, tc.want)
			}
		})
	}
}

func TestHealthReadinessMetricsAndContract(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	h := newHarness(t, st)
	h.do(request{method: "GET", path: "/healthz"}).status(200)
	h.do(request{method: "GET", path: "/readyz"}).status(200)
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
	metrics := h.do(request{method: "GET", path: "/metrics"}).status(200).Body.String()
	if !strings.Contains(metrics, `weaklink_http_requests_total{method="GET",route="/api/v1/suppliers",status="200"} 1`) {
		t.Fatalf("metrics lack the request counter:\n%s", metrics)
	}
	spec := h.do(request{method: "GET", path: "/openapi.yaml"}).status(200)
	if !strings.HasPrefix(spec.Body.String(), "openapi: 3.0.3") {
		t.Fatal("/openapi.yaml does not serve the contract")
	}
	home := h.validRequest(request{method: "GET", path: "/"}).status(200)
	if ct, csp := home.Header().Get("Content-Type"), home.Header().Get("Content-Security-Policy"); ct != "text/html; charset=utf-8" ||
		csp != "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" {
		t.Fatalf("GET /: Content-Type %q, Content-Security-Policy %q", ct, csp)
	}
	for _, link := range []string{`href="/docs/reference"`, `href="/docs"`, `href="/openapi.yaml"`, `href="/healthz"`, `href="/readyz"`, `href="/metrics"`} {
		if !strings.Contains(home.Body.String(), link) {
			t.Errorf("GET / lacks the link %s", link)
		}
	}
	docs := h.do(request{method: "GET", path: "/docs"}).status(200).Body.String()
	if !strings.Contains(docs, "/api/v1/suppliers/{id}") || !strings.Contains(docs, `id="problem-invalid"`) {
		t.Fatal("/docs does not render the reference")
	}
	// Roll a migration back: the service is no longer ready.
	if _, err := st.MigrateDown(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.do(request{method: "GET", path: "/readyz"}).status(503)
}

// When the database fails, the client learns nothing about it beyond a request id.
func TestInternalErrorsLeakNothing(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	h := newHarness(t, st)
	testdb.Exec(t, st, "DROP TABLE suppliers")
	res := h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(500)
	body := strings.ToLower(res.Body.String())
	for _, leak := range []string{"sql", "table", "suppliers", "no such", "gorm", ".go"} {
		if strings.Contains(body, leak) {
			t.Fatalf("500 body leaks %q: %s", leak, body)
		}
	}
}

// Failed authentication is limited per client address: a flood of bad keys gets 429
// before it costs a lookup each, while good keys from elsewhere are unaffected.
func TestFailedAuthenticationIsRateLimited(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.rateLimit, o.rateBurst = 100, 100 })
	bad := request{method: "GET", path: "/api/v1/suppliers", key: "wl_guess", remoteAddr: "198.51.100.7:4000"}
	for i := 0; i < 10; i++ {
		h.do(bad).status(401)
	}
	limited := h.do(bad).status(429)
	if limited.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// Even a good key from that address waits; other addresses are not affected.
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer, remoteAddr: "198.51.100.7:4000"}).status(429)
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
	h.clock.Advance(2e9)
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer, remoteAddr: "198.51.100.7:4000"}).status(200)
}
