package api_test

import (
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// While the stored risk figures are being built (after the upgrade that adds them),
// every read that shows figures answers 503 with Retry-After, then answers again.
func TestRiskReadsAnswerUnavailableWhileTheFiguresAreBuilt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		var sup struct{ ID string }
		h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
			body: map[string]any{"name": "Quayside Mail", "criticality": "high"}}).status(201).json(&sup)
		testdb.Exec(t, st, "UPDATE risk_projection SET built = FALSE")
		paths := []string{"/api/v1/suppliers/" + sup.ID + "/risk", "/api/v1/weak-links", "/api/v1/suppliers?sort=-residual_risk",
			"/api/v1/suppliers?tier=low", "/api/v1/suppliers"}
		for _, p := range paths {
			assertUnavailable(t, p, h.do(request{method: "GET", path: p, role: register.RoleViewer}))
		}
		if _, err := h.svc.BuildRiskIfNeeded(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			h.do(request{method: "GET", path: p, role: register.RoleViewer}).status(200)
		}
	})
}
