package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A POST /api/v1/incidents retried with the same Idempotency-Key creates one
// incident and answers the same status and body twice; the same key with another
// body is 422; ten concurrent retries create exactly one; a key of one API key is
// not another's; a retried POST /api/v1/api-keys answers 409 with the Location and
// without the secret.
func TestIdempotentRetries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		supplier := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: quayside}).status(201).object()["id"].(string)
		incident := map[string]any{"supplier_id": supplier, "aware_at": "2026-11-23T08:00:00Z", "summary": "laptop stolen"}
		post := func(key string, body any, role register.Role) *response {
			return h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: role, body: body,
				header: map[string]string{"Idempotency-Key": key}})
		}
		incidents := func() int {
			t.Helper()
			var page struct{ Items []json.RawMessage }
			if err := json.Unmarshal(h.do(request{method: "GET", path: "/api/v1/incidents", role: register.RoleViewer}).status(200).Body.Bytes(), &page); err != nil {
				t.Fatal(err)
			}
			return len(page.Items)
		}

		first := post("retry-1", incident, register.RoleEditor).status(201)
		again := post("retry-1", incident, register.RoleEditor).status(201)
		if again.Body.String() != first.Body.String() || again.Header().Get("Location") != first.Header().Get("Location") ||
			again.Header().Get("Idempotent-Replayed") != "true" || first.Header().Get("Idempotent-Replayed") != "" {
			t.Fatalf("replay:\n%s\n%s", first.Body.String(), again.Body.String())
		}
		if n := incidents(); n != 1 {
			t.Fatalf("%d incidents after a retry, want 1", n)
		}

		other := map[string]any{"supplier_id": supplier, "aware_at": "2026-11-23T08:00:00Z", "summary": "another"}
		mismatch := post("retry-1", other, register.RoleEditor).status(422)
		if !strings.Contains(mismatch.Body.String(), "/docs#problem-idempotency-mismatch") {
			t.Fatalf("mismatch: %s", mismatch.Body.String())
		}
		// Keys belong to the API key that sent them: another key's "retry-1" is its own.
		post("retry-1", other, register.RoleAdmin).status(201)
		// A 4xx answer is kept too: the retry gets the same 400.
		bad := request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": supplier, "summary": "no aware_at"}, header: map[string]string{"Idempotency-Key": "bad-1"}}
		if a, b := h.do(bad).status(400), h.do(bad).status(400); a.Body.String() != b.Body.String() || b.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("400 not replayed:\n%s\n%s", a.Body.String(), b.Body.String())
		}
		// A quoted key (the draft's structured-field string) is the same key.
		post(`"retry-1"`, incident, register.RoleEditor).status(201)
		// A body over the route's limit is 413 before the key is claimed.
		h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, contentType: "application/json",
			body: `{"summary":"` + strings.Repeat("x", 1<<20) + `"}`, header: map[string]string{"Idempotency-Key": "big"}}).status(413)
		// Another precondition is another request.
		h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: incident,
			header: map[string]string{"Idempotency-Key": "retry-1", "If-Match": `"1"`}}).status(422)
		for _, key := range []string{"", strings.Repeat("k", 256), "with space"} {
			h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: incident,
				header: map[string]string{"Idempotency-Key": key}}).status(400)
		}
		if n := incidents(); n != 2 {
			t.Fatalf("%d incidents, want 2", n)
		}

		// Ten concurrent retries: one incident, the same answer ten times.
		third := map[string]any{"supplier_id": supplier, "aware_at": "2026-11-23T08:30:00Z", "summary": "phishing"}
		bodies := make([]string, 10)
		var wg sync.WaitGroup
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor, body: third,
					header: map[string]string{"Idempotency-Key": "concurrent"}})
				if res.Code != http.StatusCreated {
					t.Errorf("concurrent retry %d: %d %s", i, res.Code, res.Body.String())
				}
				bodies[i] = res.Body.String()
			}()
		}
		wg.Wait()
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Fatalf("concurrent retries answered differently:\n%s\n%s", bodies[0], b)
			}
		}
		if n := incidents(); n != 3 {
			t.Fatalf("%d incidents after ten concurrent retries of one, want 3", n)
		}

		// An API key's secret is shown once: the retry is 409 "already created".
		keyReq := request{method: "POST", path: "/api/v1/api-keys", role: register.RoleAdmin,
			body: map[string]any{"name": "scripts", "role": "viewer"}, header: map[string]string{"Idempotency-Key": "new-key"}}
		created := h.validRequest(keyReq).status(201)
		secret, _ := created.object()["secret"].(string)
		replayed := h.validRequest(keyReq).status(409)
		if secret == "" || strings.Contains(replayed.Body.String(), secret) || strings.Contains(replayed.Body.String(), `"secret"`) ||
			replayed.Header().Get("Location") != created.Header().Get("Location") || replayed.Header().Get("Location") == "" {
			t.Fatalf("secret replay: %s (Location %q)", replayed.Body.String(), replayed.Header().Get("Location"))
		}
		var keys struct{ Items []struct{ Name string } }
		_ = json.Unmarshal(h.do(request{method: "GET", path: "/api/v1/api-keys", role: register.RoleAdmin}).status(200).Body.Bytes(), &keys)
		n := 0
		for _, k := range keys.Items {
			if k.Name == "scripts" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d keys named scripts, want 1", n)
		}
	})
}

// A record expires after 24 hours: the same key then runs the request again; and
// serve's purge deletes expired records.
func TestIdempotencyKeysExpire(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		body := map[string]any{"name": "Harbour Print", "criticality": "low"}
		send := func() *response {
			return h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor, body: body,
				header: map[string]string{"Idempotency-Key": "k"}})
		}
		send().status(201)
		h.clock.Advance(register.IdempotencyTTL - 1e9)
		send().status(201) // still the replay
		h.clock.Advance(2e9)
		send().status(409) // run again: the name is taken now
		h.clock.Advance(register.IdempotencyTTL + 1e9)
		if n, err := h.svc.PurgeIdempotencyKeys(t.Context()); err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
	})
}
