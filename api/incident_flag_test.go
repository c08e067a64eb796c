package api_test

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// An incident that is not closed raises open_incident: it names the incident and how
// long it has been open, changes neither posture nor residual risk, puts the supplier
// on /weak-links and counts in the severity tie-break; it is critical when
// special-category data reaches the supplier; closing the incident clears it.
func TestOpenIncidentFlag(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		best := answersWhere(loadBaseline(t), true)
		dpa := map[string]any{"dpa_signed_at": "2024-02-01"}
		for _, n := range []string{"Alpha Mail", "Beta Mail"} {
			r.supplier(n, "medium", "GB", dpa)
			r.assess(n, best)
		}
		r.holds("Beta Mail", "contact_details", 5000, "members")
		h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Alpha Mail"] + "/data-holdings", role: register.RoleEditor,
			body: map[string]any{"category": "contact_details", "data_subjects": []string{"members"}, "record_count": 5000,
				"locations": []string{"GB"}, "retention_until": "2026-01-01"}}).status(201)
		r.supplier("Gamma CRM", "medium", "GB", dpa)
		r.holds("Gamma CRM", "political_opinions", 5000, "members")
		r.assess("Gamma CRM", best)
		r.supplier("Harbour Hosting", "low", "GB")
		r.link("Gamma CRM", "Harbour Hosting", "political_opinions")

		risk := func(name string) map[string]any {
			t.Helper()
			return h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids[name] + "/risk", role: register.RoleViewer}).status(200).object()
		}
		ranking := func() []string {
			t.Helper()
			var w struct{ Items []map[string]any }
			h.validRequest(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
			var names []string
			for _, it := range w.Items {
				names = append(names, it["supplier"].(map[string]any)["name"].(string))
			}
			return names
		}
		before := risk("Beta Mail")
		if got := strings.Join(ranking(), ","); strings.Contains(got, "Beta Mail") || !strings.Contains(got, "Alpha Mail") {
			t.Fatalf("before the incident: %s", got)
		}
		incident := func(name, aware string) string {
			t.Helper()
			return h.validRequest(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
				body: map[string]any{"supplier_id": r.ids[name], "aware_at": aware, "summary": "data rendered inaccessible"}}).status(201).object()["id"].(string)
		}
		// The clock stands at 2026-11-23 09:00: 4 days, 1 hour and 30 minutes later.
		beta := incident("Beta Mail", "2026-11-19T07:30:00Z")
		after := risk("Beta Mail")
		f := flagOf(after["flags"], "open_incident")
		if f == nil || f["severity"] != "high" || f["message"] != `an incident is not closed: "data rendered inaccessible" (`+beta+
			`), aware since 2026-11-19 07:30 UTC, open for 4 days and 1 hour` {
			t.Fatalf("open_incident %v", f)
		}
		for _, k := range []string{"inherent", "posture", "residual", "tier"} {
			if after[k] != before[k] {
				t.Errorf("%s moved from %v to %v", k, before[k], after[k])
			}
		}
		// Same residual as Alpha; Beta's high flag outranks Alpha's medium one, whatever the names.
		if after["residual"] != risk("Alpha Mail")["residual"] {
			t.Fatalf("residuals differ: %v, %v", after["residual"], risk("Alpha Mail")["residual"])
		}
		if got := strings.Join(ranking(), ","); !strings.Contains(got, "Beta Mail,Alpha Mail") {
			t.Fatalf("ranking with the incident: %s", got)
		}

		// Special-category data reaching the supplier through a link makes it critical.
		incident("Harbour Hosting", "2026-11-23T08:15:00Z")
		hf := flagOf(risk("Harbour Hosting")["flags"], "open_incident")
		if hf == nil || hf["severity"] != "critical" || !strings.Contains(hf["message"].(string), "open for less than an hour") ||
			!strings.Contains(hf["message"].(string), "special-category data is in its care (") {
			t.Fatalf("Harbour's open_incident %v", hf)
		}

		// Contained is still not closed; closed clears the flag.
		h.validRequest(request{method: "PATCH", path: "/api/v1/incidents/" + beta, role: register.RoleEditor, body: map[string]any{"status": "contained"}}).status(200)
		if flagOf(risk("Beta Mail")["flags"], "open_incident") == nil {
			t.Fatal("a contained incident cleared the flag")
		}
		h.validRequest(request{method: "PATCH", path: "/api/v1/incidents/" + beta, role: register.RoleEditor, body: map[string]any{"status": "closed"}}).status(200)
		if f := flagOf(risk("Beta Mail")["flags"], "open_incident"); f != nil {
			t.Fatalf("closed, still flagged: %v", f)
		}
		if got := strings.Join(ranking(), ","); strings.Contains(got, "Beta Mail") {
			t.Fatalf("after closing: %s", got)
		}
	})
}

// flagOf returns the flag with the code from a flags array of an answer, or nil.
func flagOf(flags any, code string) map[string]any {
	fs, _ := flags.([]any)
	for _, f := range fs {
		if m, ok := f.(map[string]any); ok && m["code"] == code {
			return m
		}
	}
	return nil
}
