package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// parsedContract is openapi.yaml, read, parsed and validated once per test binary;
// every response a test sees is checked against it.
type parsedContract struct {
	doc    *openapi3.T
	router routers.Router
	raw    []byte
}

var contract = sync.OnceValues(func() (parsedContract, error) {
	raw, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		return parsedContract{}, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return parsedContract{}, fmt.Errorf("openapi.yaml does not load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return parsedContract{}, fmt.Errorf("openapi.yaml is not valid: %w", err)
	}
	// Match routes by path only: the served document has a relative server URL.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return parsedContract{}, err
	}
	return parsedContract{doc: doc, router: router, raw: raw}, nil
})

// loadContract returns the parsed contract; callers only read it.
func loadContract(t testing.TB) (*openapi3.T, routers.Router, []byte) {
	t.Helper()
	c, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	return c.doc, c.router, c.raw
}

// harness is a real router over a real store, with a fixed clock and a key per role.
type harness struct {
	t      *testing.T
	h      http.Handler
	st     *store.Store
	svc    *register.Service
	clock  *testdb.Clock
	keys   map[register.Role]string
	ids    map[register.Role]string
	router routers.Router
}

type options struct {
	rateLimit      float64
	rateBurst      int
	trustedProxies []string
	logs           slog.Handler // receives the service's logs; testLog when nil
	start          time.Time    // the clock's first reading; t0 when zero
	publicURL      string       // WEAKLINK_PUBLIC_URL
}

func newHarness(t *testing.T, st *store.Store, opts ...func(*options)) *harness {
	t.Helper()
	o := options{}
	for _, f := range opts {
		f(&o)
	}
	_, router, spec := loadContract(t)
	if o.start.IsZero() {
		o.start = t0
	}
	clock := testdb.NewClock(o.start)
	svc := register.New(st, clock.Now)
	if o.logs == nil {
		o.logs = slog.NewTextHandler(testLog, nil)
	}
	h, err := api.New(api.Config{TrustedProxies: o.trustedProxies, PublicURL: o.publicURL, RateLimit: o.rateLimit, RateBurst: o.rateBurst,
		Spec: spec, Logger: slog.New(o.logs), Clock: clock.Now},
		api.NewServices(svc, quarterly.New(svc, st), sheetio.New(svc, st), st))
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, h: h, st: st, svc: svc, clock: clock, router: router,
		keys: map[register.Role]string{}, ids: map[register.Role]string{}}
	for _, r := range []register.Role{register.RoleAdmin, register.RoleEditor, register.RoleViewer} {
		k, secret, err := svc.CreateAPIKey(context.Background(), register.SystemActor("test"), register.NewAPIKey{Name: string(r) + "-key", Role: r})
		if err != nil {
			t.Fatal(err)
		}
		hs.keys[r], hs.ids[r] = secret, k.ID
	}
	return hs
}

// request describes one call. Body is JSON-encoded unless it is a string or []byte.
type request struct {
	method, path string
	role         register.Role // "" sends no key
	key          string        // explicit secret, overrides role
	body         any
	contentType  string
	header       map[string]string
	remoteAddr   string
}

// build makes the HTTP request (without credentials) and returns its body bytes.
func (r request) build() (*http.Request, []byte) {
	var body []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		body, _ = json.Marshal(b)
	}
	req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
	if body != nil {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	return req, body
}

type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// do sends the request through the router and validates the response against the
// contract (status documented, headers and body matching the schema).
func (h *harness) do(r request) *response {
	h.t.Helper()
	req, body := r.build()
	key := r.key
	if key == "" && r.role != "" {
		key = h.keys[r.role]
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.remoteAddr != "" {
		req.RemoteAddr = r.remoteAddr
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	res := &response{ResponseRecorder: rec, t: h.t}
	h.validate(req, body, res)
	return res
}

func (h *harness) validate(req *http.Request, body []byte, res *response) {
	h.t.Helper()
	if req.Method == http.MethodHead {
		// HEAD answers as GET without the body (RFC 9110 §9.3.2); the contract says so
		// once, in its description, and TestEveryGETAnswersHEAD compares the two.
		return
	}
	if res.Header().Get("X-Request-Id") == "" {
		h.t.Errorf("%s %s: no X-Request-Id", req.Method, req.URL.Path)
	}
	portalPage := strings.HasPrefix(req.URL.Path, "/portal/") && !strings.HasPrefix(req.URL.Path, "/portal/api/")
	if res.Code >= 400 && res.Header().Get("Content-Type") != "application/problem+json" && !portalPage {
		h.t.Errorf("%s %s: %d answered with %q, not problem+json", req.Method, req.URL.Path, res.Code, res.Header().Get("Content-Type"))
	}
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := h.router.FindRoute(vreq)
	if err != nil {
		// Only unknown routes and methods may be missing from the contract.
		if res.Code != http.StatusNotFound && res.Code != http.StatusMethodNotAllowed {
			h.t.Errorf("%s %s: not in openapi.yaml (%v) but answered %d", req.Method, req.URL.Path, err, res.Code)
		}
		return
	}
	ct := res.Header().Get("Content-Type")
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route},
		Status:                 res.Code,
		Header:                 res.Header(),
		Body:                   io.NopCloser(bytes.NewReader(res.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			ExcludeResponseBody: !strings.Contains(ct, "json")},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		h.t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, res.Code, err, res.Body.String())
	}
}

// validRequest also checks that a request the test considers well-formed is one the
// contract accepts, so the spec cannot be stricter than the service.
func (h *harness) validRequest(r request) *response {
	h.t.Helper()
	req, _ := r.build()
	route, params, err := h.router.FindRoute(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	})
	if err != nil {
		h.t.Errorf("%s %s: the contract rejects a valid request: %v", r.method, r.path, err)
	}
	return h.do(r)
}

func (r *response) status(want int) *response {
	r.t.Helper()
	if r.Code != want {
		r.t.Fatalf("status %d, want %d; body: %s", r.Code, want, r.Body.String())
	}
	return r
}

func (r *response) json(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body.String(), err)
	}
}

func (r *response) object() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.json(&m)
	return m
}

// problem decodes a problem document and returns its field errors as "field: message".
func (r *response) fieldErrors() []string {
	r.t.Helper()
	var p api.Problem
	r.json(&p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field+": "+e.Message)
	}
	return out
}

// testLog receives the service's logs; WEAKLINK_TEST_LOG=1 shows them.
var testLog = func() io.Writer {
	if os.Getenv("WEAKLINK_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}()
