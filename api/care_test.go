package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// riskAnswer is GET /suppliers/{id}/risk as the tests read it.
type riskAnswer struct {
	DataInCare struct {
		Records int64
		People  peopleAnswer
	} `json:"data_in_care"`
	Inherent  float64
	Posture   *float64
	Residual  float64
	Tier      string
	Flags     []struct{ Code, Severity, Message string }
	Breakdown struct {
		Inherent struct {
			Breakdown []struct {
				Factor string
				Detail string
				Points float64
			}
		}
	}
}

func (a riskAnswer) flag(code string) (string, bool) {
	for _, f := range a.Flags {
		if f.Code == code {
			return f.Message, true
		}
	}
	return "", false
}

func (a riskAnswer) detail(factor string) []string {
	var out []string
	for _, p := range a.Breakdown.Inherent.Breakdown {
		if p.Factor == factor {
			out = append(out, p.Detail)
		}
	}
	return out
}

func (r *registerBuilder) risk(name string) riskAnswer {
	r.h.t.Helper()
	var a riskAnswer
	r.h.do(request{method: "GET", path: "/api/v1/suppliers/" + r.ids[name] + "/risk", role: register.RoleViewer}).status(200).json(&a)
	return a
}

// memberRegister is the membership register of issue 11's "Done when": MemberHub
// (critical, DPA signed, approved posture ≥ 75) holds 580,000 members' contact details
// and political opinions and passes both to Harbour Hosting (high, authorised), which
// passes political opinions to Vault Backup (medium, no authorisation recorded).
// Idle Host is a high supplier holding nothing, for comparison.
func memberRegister(t *testing.T, h *harness) *registerBuilder {
	r := newRegister(h)
	r.supplier("MemberHub", "critical", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
	r.supplier("Harbour Hosting", "high", "GB")
	r.supplier("Vault Backup", "medium", "GB")
	r.supplier("Idle Host", "high", "GB")
	r.holds("MemberHub", "contact_details", 580000, "members")
	r.holds("MemberHub", "political_opinions", 580000, "members")
	r.link("MemberHub", "Harbour Hosting", "contact_details", "political_opinions")
	h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/subprocessors", role: register.RoleEditor,
		body: map[string]any{"subprocessor_id": r.ids["Vault Backup"], "categories": []string{"political_opinions"}}}).status(201)
	a := r.assess("MemberHub", answersWhere(loadBaseline(t), true))
	h.do(request{method: "POST", path: "/api/v1/assessments/" + a["id"].(string) + "/review", role: register.RoleAdmin,
		body: map[string]any{"decision": "approve", "comment": "evidence checked"}}).status(200)
	return r
}

// The acceptance scenario of issue 11 (part 1): sub-processors carry what they
// receive, people are counted as people, and a link without authorisation is flagged.
func TestMembershipRegisterDataInCare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := memberRegister(t, h)

		mh := r.risk("MemberHub")
		if mh.DataInCare.Records != 1160000 || mh.DataInCare.People != (peopleAnswer{580000, 580000}) {
			t.Errorf("MemberHub data in care %+v, want 1,160,000 records and 580,000 people", mh.DataInCare)
		}
		if mh.Posture == nil || *mh.Posture < 75 {
			t.Fatalf("MemberHub posture %v, want ≥ 75", mh.Posture)
		}
		if msg, ok := mh.flag("inherited_weakness"); !ok || !strings.Contains(msg, "Harbour Hosting (never assessed) via MemberHub → Harbour Hosting") {
			t.Errorf("MemberHub inherited_weakness %q (raised %v)", msg, ok)
		}

		hh, idle := r.risk("Harbour Hosting"), r.risk("Idle Host")
		if hh.DataInCare.Records != 1160000 || hh.DataInCare.People != (peopleAnswer{580000, 580000}) {
			t.Errorf("Harbour data in care %+v", hh.DataInCare)
		}
		if vol := hh.detail("volume"); len(vol) != 1 || !strings.HasPrefix(vol[0], "1,160,000 records in all") {
			t.Errorf("Harbour volume %v, want 1,160,000 received records counted", vol)
		}
		if !(hh.Inherent > idle.Inherent) || idle.Inherent != 15 {
			t.Errorf("Harbour inherent %v must exceed a high supplier holding nothing (%v)", hh.Inherent, idle.Inherent)
		}
		wantSources := []string{
			"received: contact details, 580,000 records from 1 origin; the largest, 580,000 records of MemberHub, via MemberHub → Harbour Hosting",
			"received: political opinions, 580,000 records from 1 origin; the largest, 580,000 records of MemberHub, via MemberHub → Harbour Hosting",
		}
		if got := hh.detail("source"); strings.Join(got, "\n") != strings.Join(wantSources, "\n") {
			t.Errorf("Harbour sources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantSources, "\n"))
		}
		if got := mh.detail("source"); len(got) != 2 || got[0] != "own holding: contact details (members), 580,000 records" {
			t.Errorf("MemberHub sources %v", got)
		}
		for _, code := range []string{"unassessed", "special_category_exposure"} {
			if _, ok := hh.flag(code); !ok {
				t.Errorf("Harbour lacks %s: %+v", code, hh.Flags)
			}
		}
		for _, code := range []string{"no_dpa", "unauthorised_subprocessor"} {
			if _, ok := hh.flag(code); ok {
				t.Errorf("Harbour raises %s: %+v", code, hh.Flags)
			}
		}

		vb := r.risk("Vault Backup")
		if vb.DataInCare.Records != 580000 || vb.DataInCare.People != (peopleAnswer{580000, 580000}) {
			t.Errorf("Vault data in care %+v", vb.DataInCare)
		}
		for _, code := range []string{"unassessed", "special_category_exposure", "unauthorised_subprocessor"} {
			if _, ok := vb.flag(code); !ok {
				t.Errorf("Vault lacks %s: %+v", code, vb.Flags)
			}
		}
		if msg, _ := vb.flag("unauthorised_subprocessor"); msg != "receives data through a link with no recorded authorisation (GDPR Art. 28(2)): Political opinions from Harbour Hosting" {
			t.Errorf("Vault unauthorised_subprocessor %q", msg)
		}
		if _, ok := vb.flag("no_dpa"); ok {
			t.Errorf("Vault raises no_dpa on received data")
		}

		inc := h.do(request{method: "POST", path: "/api/v1/incidents", role: register.RoleEditor,
			body: map[string]any{"supplier_id": r.ids["Vault Backup"], "aware_at": h.clock.Now().Add(-time.Hour).Format(time.RFC3339),
				"summary": "data rendered inaccessible"}}).status(201).object()
		var im impactAnswer
		h.do(request{method: "GET", path: "/api/v1/incidents/" + inc["id"].(string) + "/impact", role: register.RoleViewer}).status(200).json(&im)
		if im.People != (peopleAnswer{580000, 580000}) || !strings.Contains(im.Summary, "about 580,000 people — members — whose political opinions") {
			t.Errorf("impact at Vault: people %+v, summary %q", im.People, im.Summary)
		}

		// /weak-links ranks by residual risk (docs/methodology.md): Harbour, never
		// assessed, keeps its inherent 40 (political opinions, sensitivity 5) + 21.66
		// (1,160,000 records) + 5 (one special category) + 15 (high) = 81.66; Vault,
		// never assessed, 40 + 20.58 (580,000 records) + 5 + 10 (medium) = 75.58;
		// MemberHub, 40 + 21.66 + 5 + 20 (critical) = 86.66 inherent, mitigated by its
		// posture of 100 to 86.66 × (1 − 0.8) = 17.33.
		var weak struct {
			Items []struct {
				Supplier struct{ Name string }
				Residual float64
			}
		}
		h.do(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&weak)
		var ranked []string
		for _, w := range weak.Items {
			ranked = append(ranked, fmt.Sprintf("%s %.2f", w.Supplier.Name, w.Residual))
		}
		if want := "[Harbour Hosting 81.66 Vault Backup 75.58 MemberHub 17.33]"; fmt.Sprint(ranked) != want {
			t.Errorf("weak links %v, want %s", ranked, want)
		}
		// The category filter reads data in care: the sub-processors that only receive
		// political opinions are found by it.
		var byCat struct {
			Items []struct{ Supplier struct{ Name string } }
		}
		h.do(request{method: "GET", path: "/api/v1/weak-links?category=political_opinions", role: register.RoleViewer}).status(200).json(&byCat)
		var found []string
		for _, w := range byCat.Items {
			found = append(found, w.Supplier.Name)
		}
		if fmt.Sprint(found) != "[Harbour Hosting Vault Backup MemberHub]" {
			t.Errorf("weak links holding or receiving political opinions: %v", found)
		}
		checkRiskAgrees(t, h, r)
	})
}

// checkRiskAgrees fails unless GET /suppliers/{id}/risk, the risk on supplier list
// items (by name and by residual risk) and the weak-links ranking (the portfolio)
// give every supplier the same figures.
func checkRiskAgrees(t *testing.T, h *harness, r *registerBuilder) {
	t.Helper()
	type figures struct {
		Records       int64
		People        peopleAnswer
		Inherent      float64
		Residual      float64
		Tier          string
		PostureIsNull bool
	}
	want := map[string]figures{}
	for name := range r.ids {
		a := r.risk(name)
		want[name] = figures{a.DataInCare.Records, a.DataInCare.People, a.Inherent, a.Residual, a.Tier, a.Posture == nil}
	}
	for _, path := range []string{"/api/v1/suppliers?sort=name", "/api/v1/suppliers?sort=-residual_risk", "/api/v1/suppliers?tier=critical,high,medium,low"} {
		var list struct {
			Items []struct {
				Name string
				Risk riskAnswer
			}
		}
		h.do(request{method: "GET", path: path, role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != len(want) {
			t.Fatalf("%s: %d items, want %d", path, len(list.Items), len(want))
		}
		for _, it := range list.Items {
			a := it.Risk
			if got := (figures{a.DataInCare.Records, a.DataInCare.People, a.Inherent, a.Residual, a.Tier, a.Posture == nil}); got != want[it.Name] {
				t.Errorf("%s: %s has %+v, /risk says %+v", path, it.Name, got, want[it.Name])
			}
		}
	}
	var weak struct {
		Items []struct {
			Supplier struct{ Name string }
			Inherent float64
			Residual float64
			Tier     string
		}
	}
	h.do(request{method: "GET", path: "/api/v1/weak-links", role: register.RoleViewer}).status(200).json(&weak)
	if len(weak.Items) == 0 {
		t.Fatal("no weak links")
	}
	for _, w := range weak.Items {
		f := want[w.Supplier.Name]
		if w.Inherent != f.Inherent || w.Residual != f.Residual || w.Tier != f.Tier {
			t.Errorf("weak-links: %s has %v/%v/%s, /risk says %+v", w.Supplier.Name, w.Inherent, w.Residual, w.Tier, f)
		}
	}
}

// A link's record_count caps what arrives: after PATCHing Harbour → Vault to
// 100,000 records, Vault's data in care, its data flows and an incident's people at
// Vault all count 100,000; MemberHub and Harbour are unchanged.
func TestLinkCapLimitsDataInCare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := memberRegister(t, h)
		h.validRequest(request{method: "PATCH", path: "/api/v1/suppliers/" + r.ids["Harbour Hosting"] + "/subprocessors/" + r.ids["Vault Backup"],
			role: register.RoleEditor, body: map[string]any{"record_count": 100000, "authorised_at": "2024-03-01"}}).status(200)
		vb := r.risk("Vault Backup")
		if vb.DataInCare.Records != 100000 || vb.DataInCare.People != (peopleAnswer{100000, 100000}) {
			t.Errorf("Vault data in care %+v, want the link's cap of 100,000", vb.DataInCare)
		}
		if _, ok := vb.flag("unauthorised_subprocessor"); ok {
			t.Errorf("an authorised link still raises unauthorised_subprocessor")
		}
		if src := vb.detail("source"); len(src) != 1 || !strings.Contains(src[0], "100,000 records of MemberHub, via MemberHub → Harbour Hosting → Vault Backup") {
			t.Errorf("Vault sources %v", src)
		}
		if hh := r.risk("Harbour Hosting"); hh.DataInCare.Records != 1160000 {
			t.Errorf("Harbour data in care %+v", hh.DataInCare)
		}
		var flows impactAnswer
		h.do(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Vault Backup"] + "/data-flows", role: register.RoleViewer}).status(200).json(&flows)
		if len(flows.Categories) != 1 || len(flows.Categories[0].ReceivedFrom) != 1 || flows.Categories[0].ReceivedFrom[0].RecordCount != 100000 ||
			flows.Records != 100000 || len(flows.Categories[0].ReceivedFrom[0].Path) != 3 {
			t.Errorf("Vault data flows %+v", flows)
		}
		// A sub-processor's contract is with the processor that engaged it: received
		// data alone costs an assessed Harbour no DPA deduction and raises no no_dpa.
		r.assess("Harbour Hosting", answersWhere(loadBaseline(t), true))
		if hh := r.risk("Harbour Hosting"); hh.Posture == nil || *hh.Posture != 100 {
			t.Errorf("Harbour's posture %v, want 100 with no DPA deduction", hh.Posture)
		} else if _, ok := hh.flag("no_dpa"); ok {
			t.Errorf("Harbour raises no_dpa on received data")
		}
		checkRiskAgrees(t, h, r)
	})
}
