package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// With PostgreSQL out of reach every API route answers 503 with Retry-After (as the
// contract says), the outage is logged in a handful of lines rather than one per
// request, and the service recovers by itself when the database returns.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	var cutAfterAuth atomic.Bool
	var proxy *tcpProxy
	st, proxy := postgresBehindProxy(t, func(o *store.Options) {
		o.AfterStatement = func(_ context.Context, table string) {
			if table == "api_keys" && cutAfterAuth.CompareAndSwap(true, false) {
				proxy.cut()
			}
		}
	})
	logs := &logRecorder{}
	h := newHarness(t, st, func(o *options) { o.logs = logs })
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
	h.do(request{method: "GET", path: "/readyz"}).status(200)

	// The database goes away between authentication and the write: 503, nothing stored.
	cutAfterAuth.Store(true)
	assertUnavailable(t, "a write whose database went away", h.do(request{method: "POST", path: "/api/v1/suppliers",
		role: register.RoleEditor, body: map[string]any{"name": "Lost Write Ltd", "criticality": "low"}}))
	failed := 1
	// Every API route, and readiness, answers 503 with Retry-After while it is away.
	for _, r := range api.RouteTable() {
		if r.Role == "" {
			continue
		}
		var body any
		if r.Method == http.MethodPost || r.Method == http.MethodPatch {
			body = map[string]any{}
		}
		assertUnavailable(t, r.Method+" "+r.Path, h.do(request{method: r.Method, path: samplePath(r.Path), role: register.RoleAdmin, body: body}))
		failed++
	}
	assertUnavailable(t, "GET /readyz", h.do(request{method: "GET", path: "/readyz"}))
	failed++
	if n, e := logs.count(slog.LevelError, ""), logs.count(slog.LevelError, "database unavailable"); n != 1 || e != 1 {
		t.Fatalf("%d requests failed: %d ERROR lines (%d about the outage), want exactly 1", failed, n, e)
	}
	if n := logs.count(slog.LevelWarn, ""); n != 0 {
		t.Fatalf("%d WARN lines within the first 30 s of the outage", n)
	}

	// Thirty seconds on, one line counts the requests failed since the first.
	h.clock.Advance(api.OutageLogInterval)
	for range 3 {
		assertUnavailable(t, "GET /api/v1/suppliers", h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}))
		failed++
	}
	if n := logs.count(slog.LevelWarn, "database still unavailable"); n != 1 {
		t.Fatalf("%d reminder lines 30 s into the outage, want 1", n)
	}
	if got, want := logs.attr("database still unavailable", "failed_requests"), fmt.Sprint(failed-3); got != want {
		t.Fatalf("reminder counts %s failed requests, want %s", got, want)
	}

	// The database returns: the next requests succeed, and recovery is logged once.
	proxy.restore()
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
	h.do(request{method: "GET", path: "/readyz"}).status(200)
	h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
	if n := logs.count(slog.LevelInfo, "database available again"); n != 1 {
		t.Fatalf("%d recovery lines, want 1", n)
	}
	if got := logs.attr("database available again", "failed_requests"); got != fmt.Sprint(failed) {
		t.Fatalf("recovery line counts %s failed requests, want %d", got, failed)
	}
	if n := logs.count(slog.LevelError, ""); n != 1 {
		t.Fatalf("%d ERROR lines in all, want 1", n)
	}
	list := h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200).Body.String()
	if strings.Contains(list, "Lost Write Ltd") {
		t.Fatal("the write that met the outage was stored")
	}
	metrics := h.do(request{method: "GET", path: "/metrics"}).status(200).Body.String()
	if !strings.Contains(metrics, `weaklink_http_requests_total{method="GET",route="/readyz",status="503"} 1`) ||
		strings.Contains(metrics, `status="500"`) {
		t.Fatalf("metrics do not count the outage as 503s:\n%s", grepLines(metrics, "weaklink_http_requests_total"))
	}
}

// A pool with no connection free in time is the same 503, on both databases, and
// the wait is bounded by the acquire timeout rather than by the client's patience.
func TestPoolAcquireTimeoutIs503(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st := testdb.OpenWith(t, d, func(o *store.Options) { o.MaxOpenConns, o.AcquireTimeout = 1, 2*time.Second })
			logs := &logRecorder{}
			h := newHarness(t, st, func(o *options) { o.logs = logs })
			h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
			held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
			releaseOnce := sync.OnceFunc(func() { close(release) })
			defer releaseOnce() // even when the test fails, so the store can close
			go func() {
				done <- st.Write(context.Background(), func(*store.Tx) error { close(held); <-release; return nil })
			}()
			<-held // the only connection is taken until release
			assertUnavailable(t, "GET while the pool is exhausted", h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}))
			releaseOnce()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200)
			if logs.count(slog.LevelError, "database unavailable") != 1 || logs.count(slog.LevelInfo, "database available again") != 1 {
				t.Fatalf("outage lines: %d ERROR, %d recovery", logs.count(slog.LevelError, ""), logs.count(slog.LevelInfo, "database available again"))
			}
		})
	}
}

// A client that hangs up is a client-closed request (499) at info level, never a
// 500: a write cancelled between its statements leaves nothing behind, and a client
// gone before its key was looked up is recorded the same way.
func TestClientClosedRequestIs499(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var hangUp atomic.Pointer[context.CancelFunc]
			st := testdb.OpenWith(t, d, func(o *store.Options) {
				// The audit event is the write's last insert: hang up right after it,
				// with the supplier and its event written but not committed.
				o.AfterStatement = func(_ context.Context, table string) {
					if cancel := hangUp.Load(); table == "audit_events" && cancel != nil && hangUp.CompareAndSwap(cancel, nil) {
						(*cancel)()
					}
				}
			})
			logs := &logRecorder{}
			h := newHarness(t, st, func(o *options) { o.logs = logs })
			events := h.do(request{method: "GET", path: "/api/v1/audit-events?limit=500", role: register.RoleAdmin}).status(200).Body.String()

			ctx, cancel := context.WithCancel(context.Background())
			hangUp.Store(&cancel)
			req, _ := request{method: "POST", path: "/api/v1/suppliers", body: map[string]any{"name": "Hangup Ltd", "criticality": "low"}}.build()
			req.Header.Set("Authorization", "Bearer "+h.keys[register.RoleEditor])
			rec := httptest.NewRecorder()
			h.h.ServeHTTP(rec, req.WithContext(ctx))
			if rec.Code != 499 || hangUp.Load() != nil {
				t.Fatalf("status %d (hook fired: %v), want 499", rec.Code, hangUp.Load() == nil)
			}

			gone, cancelGone := context.WithCancel(context.Background())
			cancelGone()
			req, _ = request{method: "GET", path: "/api/v1/suppliers"}.build()
			req.Header.Set("Authorization", "Bearer "+h.keys[register.RoleViewer])
			rec = httptest.NewRecorder()
			h.h.ServeHTTP(rec, req.WithContext(gone))
			if rec.Code != 499 {
				t.Fatalf("request of a client gone before authentication: %d, want 499", rec.Code)
			}

			if list := h.do(request{method: "GET", path: "/api/v1/suppliers", role: register.RoleViewer}).status(200).Body.String(); strings.Contains(list, "Hangup Ltd") {
				t.Fatal("the abandoned write was stored")
			}
			if after := h.do(request{method: "GET", path: "/api/v1/audit-events?limit=500", role: register.RoleAdmin}).status(200).Body.String(); after != events {
				t.Fatal("the abandoned write left an audit event")
			}
			if n := logs.count(slog.LevelError, ""); n != 0 {
				t.Fatalf("%d ERROR lines for requests their clients abandoned", n)
			}
			if n := logs.count(slog.LevelInfo, "http request"); n < 2 {
				t.Fatalf("%d request lines at info", n)
			}
			metrics := h.do(request{method: "GET", path: "/metrics"}).status(200).Body.String()
			for _, want := range []string{`weaklink_http_requests_total{method="POST",route="/api/v1/suppliers",status="499"} 1`,
				`weaklink_http_requests_total{method="GET",route="/api/v1/suppliers",status="499"} 1`} {
				if !strings.Contains(metrics, want) {
					t.Errorf("metrics lack %s", want)
				}
			}
			if strings.Contains(metrics, `status="5`) {
				t.Errorf("a 5xx was counted:\n%s", grepLines(metrics, "weaklink_http_requests_total"))
			}
		})
	}
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
