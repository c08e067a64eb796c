package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

type weakLinksAnswer struct {
	Items []struct {
		Supplier         struct{ Name string }
		Posture          *float64
		EffectivePosture *float64 `json:"effective_posture"`
		Flags            []struct {
			Code, Severity, Message string
			Accepted                *struct{ Flag string }
		}
	}
}

func (w weakLinksAnswer) codes(i int) string {
	var out []string
	for _, f := range w.Items[i].Flags {
		out = append(out, f.Code)
	}
	return strings.Join(out, ",")
}

// One membership-data supplier with failed backups among strong suppliers is the
// weakest link; a strong supplier that passes data to it inherits the weakness.
func TestWeakLinksRanking(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		best := answersWhere(d, true)
		dpa := map[string]any{"dpa_signed_at": "2024-02-01"}
		for _, name := range []string{"Anchor Payroll", "Beacon Archive", "Dockside Health", "Tideway CRM", "Lighthouse Backup"} {
			r.supplier(name, "medium", "GB", dpa)
			r.holds(name, "contact_details", 5000, "customers")
			r.assess(name, best)
		}
		r.supplier("Quayside Mail", "critical", "GB", dpa)
		r.holds("Quayside Mail", "political_opinions", 600000, "members", "supporters")
		failed := answersWhere(d, true)
		failed["offline_backups"] = answersWhere(d, false)["offline_backups"]
		r.assess("Quayside Mail", failed)
		r.supplier("Harbour Hosting", "high", "GB", dpa)
		r.holds("Harbour Hosting", "political_opinions", 1000, "members")
		r.assess("Harbour Hosting", best)
		r.link("Harbour Hosting", "Quayside Mail", "political_opinions")

		var w weakLinksAnswer
		h.validRequest(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
		if len(w.Items) != 2 || w.Items[0].Supplier.Name != "Quayside Mail" || w.Items[1].Supplier.Name != "Harbour Hosting" {
			t.Fatalf("ranking: %+v", w.Items)
		}
		if got := w.codes(0); got != "weak_posture,trails_portfolio,critical_control_failed,special_category_exposure,concentration" {
			t.Fatalf("Quayside Mail flags: %s", got)
		}
		if got := w.codes(1); got != "inherited_weakness" {
			t.Fatalf("Harbour Hosting flags: %s", got)
		}
		msg := w.Items[1].Flags[0].Message
		if !strings.Contains(msg, "Quayside Mail") || !strings.Contains(msg, "Harbour Hosting → Quayside Mail") {
			t.Fatalf("inherited weakness message %q", msg)
		}
		if *w.Items[1].EffectivePosture != 40 || *w.Items[1].Posture != 100 {
			t.Fatalf("Harbour postures %v / %v", *w.Items[1].Posture, *w.Items[1].EffectivePosture)
		}

		// Filters, and the supplier list's flag filter.
		h.validRequest(request{method: "GET", path: "/api/v1/weak-links?flag=inherited_weakness", role: register.RoleViewer}).status(200).json(&w)
		if len(w.Items) != 1 || w.Items[0].Supplier.Name != "Harbour Hosting" {
			t.Fatalf("flag filter: %+v", w.Items)
		}
		h.validRequest(request{method: "GET", path: "/api/v1/weak-links?severity=critical&category=political_opinions", role: register.RoleViewer}).status(200).json(&w)
		if len(w.Items) != 1 || w.Items[0].Supplier.Name != "Quayside Mail" {
			t.Fatalf("severity filter: %+v", w.Items)
		}
		h.do(request{method: "GET", path: "/api/v1/weak-links?flag=sloppy", role: register.RoleViewer}).status(400)
		var sl struct{ Items []struct{ Name string } }
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers?flag=critical_control_failed", role: register.RoleViewer}).status(200).json(&sl)
		if len(sl.Items) != 1 || sl.Items[0].Name != "Quayside Mail" {
			t.Fatalf("supplier flag filter: %+v", sl.Items)
		}

		// Accepting Harbour's only flag takes it off the ranking until the acceptance expires;
		// the flag stays visible with its acceptance.
		exp := t0.Add(30 * 24 * time.Hour)
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk-acceptances", role: register.RoleEditor,
			body: map[string]any{"flag": "inherited_weakness", "reason": "x", "expires_at": exp.Format(time.RFC3339)}}).status(403)
		acc := h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk-acceptances", role: register.RoleAdmin,
			body: map[string]any{"flag": "inherited_weakness", "reason": "replacement backup supplier contracted; signed off by the DPO", "expires_at": exp.Format(time.RFC3339)}}).status(201).object()
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk-acceptances", role: register.RoleAdmin,
			body: map[string]any{"flag": "inherited_weakness", "reason": "again", "expires_at": exp.Format(time.RFC3339)}}).status(409)
		fe := h.do(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk-acceptances", role: register.RoleAdmin,
			body: map[string]any{"flag": "nonsense", "expires_at": t0.Add(400 * 24 * time.Hour).Format(time.RFC3339)}}).status(400).fieldErrors()
		if len(fe) != 3 {
			t.Fatalf("acceptance errors %v", fe)
		}
		h.do(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
		if len(w.Items) != 1 || w.Items[0].Supplier.Name != "Quayside Mail" {
			t.Fatalf("after acceptance: %+v", w.Items)
		}
		var risk struct {
			Flags []struct {
				Code     string
				Accepted *struct{ Flag string }
			}
			EffectivePosture *float64 `json:"effective_posture"`
		}
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk", role: register.RoleViewer}).status(200).json(&risk)
		if len(risk.Flags) != 1 || risk.Flags[0].Accepted == nil || *risk.EffectivePosture != 40 {
			t.Fatalf("risk flags %+v", risk)
		}
		h.clock.Advance(31 * 24 * time.Hour)
		h.do(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
		if len(w.Items) != 2 {
			t.Fatalf("after expiry: %d weak links", len(w.Items))
		}
		var accs struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/risk-acceptances", role: register.RoleViewer}).status(200).json(&accs)
		if len(accs.Items) != 1 || accs.Items[0]["active"] != false {
			t.Fatalf("acceptances %v", accs.Items)
		}
		h.do(request{method: "DELETE", path: "/api/v1/risk-acceptances/" + acc["id"].(string), role: register.RoleAdmin}).status(409)
	})
}

// /weak-links ranks by each supplier's own residual risk, shows it, and shows the
// supplier's own posture: A's effective posture (0, because its data reaches the
// never-assessed B) would put A above C; its own residual puts C first.
func TestWeakLinksRankByOwnResidual(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		dpa := map[string]any{"dpa_signed_at": "2024-02-01"}
		r.supplier("A Membership CRM", "medium", "GB", dpa)
		r.holds("A Membership CRM", "contact_details", 10000, "members")
		r.holds("A Membership CRM", "political_opinions", 10000, "members")
		answers := answersWhere(d, true)
		worst := answersWhere(d, false)
		// Weights 7 × 4 and 1 × 2 of 137 fail: 107 ÷ 137 = 78.10.
		for _, k := range []string{"security_certification", "mfa_cloud_services", "privileged_access", "unsupported_software",
			"malware_protection", "encryption_in_transit", "backup_credentials_separated", "policy_review"} {
			answers[k] = worst[k]
		}
		id := r.assess("A Membership CRM", answers)["id"].(string)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleAdmin,
			body: map[string]any{"decision": "approve", "comment": "evidence checked"}}).status(200)
		r.supplier("B Analytics", "low", "GB")
		r.link("A Membership CRM", "B Analytics", "contact_details")
		r.supplier("C Print House", "low", "GB", dpa)
		r.holds("C Print House", "contact_details", 1000, "customers")

		var w struct {
			Items []map[string]any
		}
		h.validRequest(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&w)
		at := map[string]int{}
		for i, it := range w.Items {
			at[it["supplier"].(map[string]any)["name"].(string)] = i
			if _, ok := it["effective_residual"]; ok {
				t.Fatalf("effective_residual still answered: %v", it)
			}
			if i > 0 && it["residual"].(float64) > w.Items[i-1]["residual"].(float64) {
				t.Fatalf("not in residual order: %v", w.Items)
			}
		}
		ia, okA := at["A Membership CRM"]
		ic, okC := at["C Print House"]
		if !okA || !okC || ic > ia {
			t.Fatalf("C must rank above A: %v", w.Items)
		}
		a, c := w.Items[ia], w.Items[ic]
		if a["posture"] != 78.1 || a["effective_posture"] != 0.0 || a["residual"] != 26.4 || c["residual"] != 31.72 {
			t.Fatalf("A %v, C %v", a, c)
		}
	})
}
