package api_test

import (
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A critical supplier holding much special-category data that scored well (residual
// tier low) is reassessed by its inherent tier: due in 6 months, not 36, and overdue
// from the day after.
func TestReassessmentFollowsInherentTier(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		r.supplier("Membership CRM", "critical", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.holds("Membership CRM", "contact_details", 1670000, "members")
		r.holds("Membership CRM", "political_opinions", 1670000, "members")
		r.assess("Membership CRM", answersWhere(loadBaseline(t), true))

		risk := func() map[string]any {
			t.Helper()
			return h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Membership CRM"] + "/risk",
				role: register.RoleViewer}).status(200).object()
		}
		due := t0.AddDate(0, 6, 0).Format(time.DateOnly)
		got := risk()
		if got["tier"] != "low" || got["inherent_tier"] != "critical" || got["next_reassessment_due"] != due ||
			got["reassessment_overdue"] != false {
			t.Fatalf("tier %v, inherent tier %v, due %v (want %s), overdue %v", got["tier"], got["inherent_tier"],
				got["next_reassessment_due"], due, got["reassessment_overdue"])
		}
		h.clock.Advance(t0.AddDate(0, 6, 1).Sub(h.clock.Now()))
		got = risk()
		if got["reassessment_overdue"] != true || flagOf(got["flags"], "assessment_overdue") == nil {
			t.Fatalf("a day after %s: overdue %v, flags %v", due, got["reassessment_overdue"], got["flags"])
		}
	})
}
