package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func startingAt(t time.Time) func(*options) { return func(o *options) { o.start = t } }

func (h *harness) moveTo(t time.Time) { h.clock.Advance(t.Sub(h.clock.Now())) }

// postReport asks for a quarter's report and returns the answer, checked against
// the contract.
func (h *harness) postReport(body map[string]any, status int) *response {
	h.t.Helper()
	return h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: body}).status(status)
}

// On 30 November a report of 2026-Q3 shows the register as it stood at Q3's end,
// from the risk history; a quarter that has not begun is refused, and so is one that
// ended before the history began.
func TestReportOfAPastQuarterComesFromTheHistory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, startingAt(time.Date(2026, 9, 10, 9, 0, 0, 0, time.UTC)))
		r := newRegister(h)
		r.supplier("Quayside Mail", "critical", "GB")
		h.moveTo(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		r.supplier("Harbour Hosting", "high", "GB")
		q3 := h.postReport(map[string]any{"quarter": "2026-Q3"}, 201).object()
		if q3["as_of"] != "2026-09-30T23:59:59.999999Z" || q3["mislabelled"] != false {
			t.Fatalf("Q3 report %v", q3)
		}
		snap := h.validRequest(request{method: "GET", path: "/api/v1/reports/" + q3["id"].(string), role: register.RoleViewer}).status(200).object()
		if sum := snap["summary"].(map[string]any); sum["suppliers"] != 1.0 || snap["days_after_quarter_end"] != 0.0 {
			t.Fatalf("Q3 from the history: %v suppliers, %v days after", sum["suppliers"], snap["days_after_quarter_end"])
		}
		got := h.postReport(map[string]any{"quarter": "2027-Q1"}, 400).fieldErrors()
		if len(got) != 1 || got[0] != "quarter: 2027-Q1 has not started yet: the current quarter is 2026-Q4" {
			t.Fatalf("field errors %q", got)
		}
		// Figures first built now (after an upgrade): the history begins now.
		testdb.Exec(t, st, "UPDATE risk_projection SET built = FALSE")
		if _, err := h.svc.BuildRiskIfNeeded(context.Background()); err != nil {
			t.Fatal(err)
		}
		got = h.postReport(map[string]any{"quarter": "2026-Q2"}, 400).fieldErrors()
		if len(got) != 1 || !strings.HasPrefix(got[0], "quarter: ended before the risk history began (30 November 2026 09:00 UTC") {
			t.Fatalf("field errors %q", got)
		}
	})
}

// A Q3 report generated on 10 October describes Q3's end; the Q4 report compares
// with it; a mislabelled report stored by an earlier release is flagged in the list
// and the snapshot, and not compared with.
func TestLateReportThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, startingAt(time.Date(2026, 9, 10, 9, 0, 0, 0, time.UTC)))
		r := newRegister(h)
		r.supplier("Quayside Mail", "critical", "GB")
		h.moveTo(time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC))
		q3 := h.postReport(map[string]any{"quarter": "2026-Q3"}, 201).object()
		if q3["mislabelled"] != false || q3["as_of"] != "2026-09-30T23:59:59.999999Z" {
			t.Fatalf("Q3 report %v", q3)
		}
		q3id := q3["id"].(string)
		snap := h.validRequest(request{method: "GET", path: "/api/v1/reports/" + q3id, role: register.RoleViewer}).status(200).object()
		if snap["days_after_quarter_end"] != 0.0 || snap["mislabelled"] != false {
			t.Fatalf("Q3 snapshot: %v days after, mislabelled %v", snap["days_after_quarter_end"], snap["mislabelled"])
		}

		// An earlier release stored a Q3 revision on 20 November: mislabelled.
		h.moveTo(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		bad := copyReport(t, st, q3id, 2, h.clock.Now())
		h.moveTo(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		r.supplier("Harbour Hosting", "high", "GB")
		q4 := h.postReport(map[string]any{"quarter": "2026-Q4"}, 201).object()
		snap = h.validRequest(request{method: "GET", path: "/api/v1/reports/" + q4["id"].(string), role: register.RoleViewer}).status(200).object()
		ch, _ := snap["changes"].(map[string]any)
		if ch == nil || ch["previous_id"] != q3id || ch["previous_quarter"] != "2026-Q3" || len(ch["new_suppliers"].([]any)) != 1 {
			t.Fatalf("Q4 changes %v, want against %s", ch, q3id)
		}

		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/reports", role: register.RoleViewer}).status(200).json(&list)
		flags := map[any]any{}
		for _, it := range list.Items {
			flags[it["id"]] = it["mislabelled"]
		}
		if len(flags) != 3 || flags[bad] != true || flags[q3id] != false || flags[q4["id"]] != false {
			t.Fatalf("mislabelled in the list: %v (bad %s)", flags, bad)
		}
		snap = h.validRequest(request{method: "GET", path: "/api/v1/reports/" + bad, role: register.RoleViewer}).status(200).object()
		if snap["mislabelled"] != true || snap["days_after_quarter_end"] != 51.0 {
			t.Fatalf("mislabelled snapshot: %v, %v days", snap["mislabelled"], snap["days_after_quarter_end"])
		}
	})
}

// copyReport stores a copy of a report as another revision taken at asOf, as a
// release before generation was limited could store it.
func copyReport(t *testing.T, st *store.Store, id string, revision int, asOf time.Time) string {
	t.Helper()
	newID := "01900000-0000-7000-8000-00000000c0de"
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		row, err := tx.GetReport(id)
		if err != nil {
			return err
		}
		row.Snapshot = strings.Replace(row.Snapshot, `"as_of":"`+row.AsOf.UTC().Format(time.RFC3339Nano)+`"`,
			`"as_of":"`+asOf.UTC().Format(time.RFC3339Nano)+`"`, 1)
		row.Snapshot = strings.Replace(row.Snapshot, `"id":"`+id+`"`, `"id":"`+newID+`"`, 1)
		row.ID, row.Revision, row.AsOf, row.CreatedAt, row.UpdatedAt = newID, revision, asOf, asOf, asOf
		return tx.InsertReport(&row)
	})
	if err != nil {
		t.Fatal(err)
	}
	return newID
}
