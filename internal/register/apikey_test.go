package register_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestAPIKeyLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, clock := newService(t, st)
		ctx := context.Background()
		boot, secret, err := svc.BootstrapAdminKey(ctx)
		if err != nil || secret == "" || boot.Role != register.RoleAdmin {
			t.Fatalf("bootstrap: %+v %q %v", boot, secret, err)
		}
		if _, again, _ := svc.BootstrapAdminKey(ctx); again != "" {
			t.Fatal("a second bootstrap created another key")
		}
		admin, err := svc.Authenticate(ctx, secret)
		if err != nil || admin.KeyID != boot.ID || admin.Role != register.RoleAdmin {
			t.Fatalf("authenticate: %+v %v", admin, err)
		}

		exp := t0.Add(time.Hour)
		k, ksecret, err := svc.CreateAPIKey(ctx, admin, register.NewAPIKey{Name: "scripts", Role: register.RoleEditor, ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ksecret, "wl_") || len(ksecret) < 40 || !strings.HasPrefix(ksecret, k.Prefix) {
			t.Fatalf("secret %q, prefix %q", ksecret, k.Prefix)
		}
		// Only the hash is stored: the secret never appears in the row.
		if stored, _ := svc.GetAPIKey(ctx, k.ID); stored.Prefix != k.Prefix || stored.LastUsedAt != nil {
			t.Fatalf("stored key %+v", stored)
		}
		if _, err := svc.Authenticate(ctx, ksecret); err != nil {
			t.Fatal(err)
		}
		if used, _ := svc.GetAPIKey(ctx, k.ID); used.LastUsedAt == nil || !used.LastUsedAt.Equal(t0) {
			t.Fatalf("last_used_at = %v, want %v", used.LastUsedAt, t0)
		}
		// last_used_at moves at most once a minute.
		clock.Advance(30 * time.Second)
		if _, err := svc.Authenticate(ctx, ksecret); err != nil {
			t.Fatal(err)
		}
		if used, _ := svc.GetAPIKey(ctx, k.ID); used.LastUsedAt == nil || !used.LastUsedAt.Equal(t0) {
			t.Fatalf("last_used_at after 30 s = %v, want %v", used.LastUsedAt, t0)
		}
		clock.Advance(31 * time.Second)
		if _, err := svc.Authenticate(ctx, ksecret); err != nil {
			t.Fatal(err)
		}
		if used, _ := svc.GetAPIKey(ctx, k.ID); used.LastUsedAt == nil || !used.LastUsedAt.Equal(t0.Add(61*time.Second)) {
			t.Fatalf("last_used_at after 61 s = %v, want %v", used.LastUsedAt, t0.Add(61*time.Second))
		}
		clock.Advance(time.Hour)
		if _, err := svc.Authenticate(ctx, ksecret); register.ErrorCode(err) != register.CodeUnauthenticated {
			t.Fatalf("expired key: %v", err)
		}
		for _, bad := range []string{"", "wl_nope", "Bearer " + secret, secret + "x"} {
			if _, err := svc.Authenticate(ctx, bad); register.ErrorCode(err) != register.CodeUnauthenticated {
				t.Errorf("secret %q: %v", bad, err)
			}
		}

		// The last usable admin key cannot be revoked; with a second admin it can.
		if err := svc.RevokeAPIKey(ctx, admin, boot.ID, nil); register.ErrorCode(err) != register.CodeConflict {
			t.Fatalf("revoking the last admin: %v", err)
		}
		_, second, err := svc.CreateAPIKey(ctx, admin, register.NewAPIKey{Name: "second admin", Role: register.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.RevokeAPIKey(ctx, admin, boot.ID, func(v int) bool { return v == 99 }); register.ErrorCode(err) != register.CodePreconditionFailed {
			t.Fatalf("stale If-Match: %v", err)
		}
		if err := svc.RevokeAPIKey(ctx, admin, boot.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, secret); register.ErrorCode(err) != register.CodeUnauthenticated {
			t.Fatalf("revoked key still works: %v", err)
		}
		if _, err := svc.Authenticate(ctx, second); err != nil {
			t.Fatal(err)
		}
		if err := svc.RevokeAPIKey(ctx, admin, boot.ID, nil); register.ErrorCode(err) != register.CodeConflict {
			t.Fatalf("revoking twice: %v", err)
		}
	})
}

// Replicas starting together on an empty database create one bootstrap key between them.
func TestBootstrapCreatesOneKeyUnderConcurrency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		secrets := make(chan string, 4)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, s, err := svc.BootstrapAdminKey(context.Background())
				if err != nil {
					t.Error(err)
				}
				secrets <- s
			}()
		}
		wg.Wait()
		close(secrets)
		n := 0
		for s := range secrets {
			if s != "" {
				n++
			}
		}
		page, _ := svc.ListAPIKeys(context.Background(), nil, "", 0)
		if n != 1 || len(page.Items) != 1 {
			t.Fatalf("%d secrets printed, %d keys stored; want 1 and 1", n, len(page.Items))
		}
	})
}

func TestAPIKeyValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		past := t0.Add(-time.Minute)
		cases := map[string]register.NewAPIKey{
			"no name":      {Role: register.RoleViewer},
			"unknown role": {Name: "x", Role: "owner"},
			"expired":      {Name: "x", Role: register.RoleViewer, ExpiresAt: &past},
		}
		for name, in := range cases {
			if _, _, err := svc.CreateAPIKey(context.Background(), register.SystemActor("test"), in); register.ErrorCode(err) != register.CodeInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}
