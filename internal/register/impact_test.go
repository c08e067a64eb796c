package register_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// An incident's spokesperson sentence never overstates the time left before the
// GDPR Art. 33 deadline, and says how long ago it passed rounded down; the exact
// time left is kept alongside.
func TestImpactSummaryTimeLeft(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		sup, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Harbour Hosting", Criticality: "high"})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			left    time.Duration // from the injected clock's now (t0) to the deadline
			summary string
		}{
			{"deadline 1.03 hours away", 3708 * time.Second, "(1 hour from now)."},
			{"deadline 5,851.3 hours past", -(5851*time.Hour + 18*time.Minute), "(243 days and 19 hours ago)."},
		}
		for _, tc := range cases {
			aware := t0.Add(tc.left - register.RegulatorDeadline)
			in, err := svc.CreateIncident(ctx, editor, register.IncidentFields{SupplierID: sup.ID, AwareAt: &aware, Summary: "data rendered inaccessible"})
			if err != nil {
				t.Fatal(err)
			}
			im, err := svc.IncidentImpact(ctx, in.ID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(im.Summary, tc.summary) {
				t.Errorf("%s: summary %q, want it to end %q", tc.name, im.Summary, tc.summary)
			}
			if im.TimeLeft != tc.left {
				t.Errorf("%s: time left %v, want exactly %v", tc.name, im.TimeLeft, tc.left)
			}
		}
	})
}
