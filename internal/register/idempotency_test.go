package register_test

import (
	"context"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A key whose first request died (its process killed, say) is held only until its
// lease passes: a retry then takes it over and runs the request, and the first
// request, should it come back, can no longer keep its answer or release the key.
func TestIdempotencyLeasePasses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clock := newService(t, st)
		first := register.IdempotentRequest{APIKeyID: "k1", Key: "retry", Fingerprint: "fp", Path: "/api/v1/incidents", Owner: "first"}
		retry := first
		retry.Owner = "retry"
		claim := func(r register.IdempotentRequest, want register.IdempotencyState) {
			t.Helper()
			if got, _, err := svc.ClaimIdempotencyKey(ctx, r); err != nil || got != want {
				t.Fatalf("claim by %s: %v, %v; want %v", r.Owner, got, err, want)
			}
		}
		claim(first, register.IdempotencyNew)
		claim(retry, register.IdempotencyRunning)
		clock.Advance(register.IdempotencyLease - 1e9)
		claim(retry, register.IdempotencyRunning)
		clock.Advance(2e9)
		if got, _, err := svc.LookupIdempotencyKey(ctx, retry); err != nil || got != register.IdempotencyNew {
			t.Fatalf("lookup after the lease: %v %v", got, err)
		}
		claim(retry, register.IdempotencyNew) // taken over

		answer := register.StoredResponse{Status: 201, Headers: map[string]string{"Location": "/api/v1/incidents/x"}, Body: []byte(`{"id":"x"}`)}
		if err := svc.FinishIdempotencyKey(ctx, first, answer); err == nil {
			t.Fatal("the first request kept its answer after losing the key")
		}
		if err := svc.ReleaseIdempotencyKey(ctx, first); err != nil {
			t.Fatal(err)
		}
		claim(retry, register.IdempotencyRunning) // the first one's release did not free it
		if err := svc.FinishIdempotencyKey(ctx, retry, answer); err != nil {
			t.Fatal(err)
		}
		state, got, err := svc.ClaimIdempotencyKey(ctx, first)
		if err != nil || state != register.IdempotencyDone || string(got.Body) != `{"id":"x"}` || got.Status != 201 {
			t.Fatalf("after the retry finished: %v %+v %v", state, got, err)
		}
	})
}
