package api_test

import (
	"bytes"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Each audit event shows the algorithm of its hash: sha256 before the audit key was
// set, hmac-sha256 from the next event on.
func TestAuditEventsShowTheirHashAlgorithm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st) // its three API keys are created without an audit key
		h.svc.WithAuditKey(bytes.Repeat([]byte{7}, 32))
		h.do(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
			body: map[string]any{"name": "Keyed Ltd", "criticality": "low"}}).status(201)
		var page struct {
			Items []struct {
				Seq           int64  `json:"seq"`
				HashAlgorithm string `json:"hash_algorithm"`
			} `json:"items"`
		}
		h.do(request{method: "GET", path: "/api/v1/audit-events", role: register.RoleAdmin}).status(200).json(&page)
		var got []string
		for _, e := range page.Items {
			got = append(got, e.HashAlgorithm)
		}
		if len(got) != 4 || got[0] != "hmac-sha256" || got[1] != "sha256" || got[3] != "sha256" {
			t.Fatalf("algorithms newest first: %v", got)
		}
	})
}
