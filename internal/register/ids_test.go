package register_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// WithIDs gives every new id, the resource's and its audit event's, from the source
// it is handed, in the order the use case asks for them.
func TestWithIDs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		n := 0
		next := func() string { n++; return fmt.Sprintf("01900000-0000-7000-8000-%012d", n) }
		svc, _ := newService(t, st)
		svc = svc.WithIDs(next)
		ctx := context.Background()
		s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"})
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != "01900000-0000-7000-8000-000000000001" {
			t.Fatalf("supplier id %s, want the source's first", s.ID)
		}
		page, err := svc.ListAudit(ctx, register.AuditFilter{ResourceID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != "01900000-0000-7000-8000-000000000002" {
			t.Fatalf("audit events %+v, want one with the source's second id", page.Items)
		}
		if got := svc.NewID(); got != "01900000-0000-7000-8000-000000000003" {
			t.Fatalf("NewID %s, want the source's third", got)
		}
	})
}
