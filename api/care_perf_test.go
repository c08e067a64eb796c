package api_test

import (
	"sync/atomic"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A supplier's risk, a risk-sorted or tier-filtered list, the weak-links ranking, a
// page by name and its data flows cost the same number of statements whatever the
// register's size.
func TestDataInCareRunsConstantStatements(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			paths := func(r *registerBuilder) []string {
				id := r.ids["Harbour Hosting"]
				return []string{"/api/v1/suppliers/" + id + "/risk", "/api/v1/suppliers?sort=-residual_risk&limit=500",
					"/api/v1/suppliers?tier=critical,high&limit=500", "/api/v1/suppliers?sort=name&limit=500",
					"/api/v1/suppliers/" + id + "/data-flows?limit=2", "/api/v1/weak-links?limit=500",
					"/api/v1/weak-links?flag=inherited_weakness&category=political_opinions&limit=500", "/api/v1/suppliers?flag=no_dpa&limit=500"}
			}
			var counts [][]int64
			for _, fillers := range []int{4, 40} {
				var n atomic.Int64
				h := newHarness(t, testdb.OpenCounting(t, d, &n))
				r := buildRealisticRegister(h, fillers)
				var c []int64
				for _, p := range paths(r) {
					n.Store(0)
					h.do(request{method: "GET", path: p, role: register.RoleViewer}).status(200)
					c = append(c, n.Load())
				}
				counts = append(counts, c)
			}
			for i, p := range paths(&registerBuilder{ids: map[string]string{"Harbour Hosting": "{id}"}}) {
				if counts[0][i] != counts[1][i] {
					t.Errorf("%s: %d statements with 4 fillers, %d with 40", p, counts[0][i], counts[1][i])
				}
			}
			t.Logf("statements per request: %v", counts[0])
		})
	}
}
