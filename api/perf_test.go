package api_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/testdb"
)

func seedSuppliers(t testing.TB, svc *register.Service, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		_, err := svc.CreateSupplier(context.Background(), register.SystemActor("seed"),
			register.SupplierFields{Name: fmt.Sprintf("Supplier %05d", i), Criticality: register.Criticalities[i%4]})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Reading a page runs the same number of statements however many suppliers exist:
// no query inside a loop over rows.
func TestSupplierRequestsRunConstantStatements(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var n atomic.Int64
			h := newHarness(t, testdb.OpenCounting(t, d, &n))
			var counts []int64
			// Each key's first use writes its last_used_at (at most once a minute): not
			// part of the counts.
			h.do(request{method: "GET", path: "/api/v1/suppliers?limit=1", role: register.RoleViewer}).status(200)
			h.do(request{method: "GET", path: "/api/v1/suppliers?limit=1", role: register.RoleEditor}).status(200)
			for _, size := range []int{5, 120} {
				seedSuppliers(t, h.svc, len(counts)*5, size)
				n.Store(0)
				h.do(request{method: "GET", path: "/api/v1/suppliers?limit=500", role: register.RoleViewer}).status(200)
				list := n.Load()
				n.Store(0)
				h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
					body: map[string]any{"name": fmt.Sprintf("New %d", size), "criticality": "low"}}).status(201)
				counts = append(counts, list, n.Load())
			}
			if counts[0] != counts[2] || counts[1] != counts[3] {
				t.Fatalf("statements (list, create) at 5 suppliers %v, at 120 %v: must not grow", counts[:2], counts[2:])
			}
			t.Logf("statements per request: list %d, create %d", counts[0], counts[1])
		})
	}
}

// BenchmarkListSuppliers pages through a register of 10,000 suppliers, 500 at a time.
func BenchmarkListSuppliers(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := testdb.Open(b, d)
			svc := register.New(st, nil)
			seedSuppliers(b, svc, 0, 10000)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f := register.SupplierFilter{Sort: "name", Limit: 500}
				for {
					page, err := svc.ListSuppliers(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					if page.NextCursor == "" {
						break
					}
					f.Cursor = page.NextCursor
				}
			}
		})
	}
}

// BenchmarkCreateSupplier measures one audited write (insert + hash-chained event).
func BenchmarkCreateSupplier(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := testdb.Open(b, d)
			svc := register.New(st, nil)
			b.ResetTimer()
			seedSuppliers(b, svc, 0, b.N)
		})
	}
}
