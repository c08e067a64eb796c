package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

// baseline is the shipped questionnaire as its JSON file describes it.
type baselineDoc struct {
	Questions []struct {
		Key      string
		Critical bool
		Optional bool
		Options  []struct {
			Value string
			Score *float64
		}
	}
}

func loadBaseline(t *testing.T) baselineDoc {
	var d baselineDoc
	if err := json.Unmarshal(migrations.Baseline(), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// answersWhere picks, for every question, the option chosen by pick (best/worst).
func answersWhere(d baselineDoc, best bool) map[string]string {
	out := map[string]string{}
	for _, q := range d.Questions {
		var chosen string
		var score float64
		for _, o := range q.Options {
			if o.Score == nil {
				continue
			}
			if chosen == "" || (best && *o.Score > score) || (!best && *o.Score < score) {
				chosen, score = o.Value, *o.Score
			}
		}
		out[q.Key] = chosen
	}
	return out
}

func (r *registerBuilder) assess(name string, answers map[string]string) map[string]any {
	r.h.t.Helper()
	a := r.h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + r.ids[name] + "/assessments", role: register.RoleEditor,
		body: map[string]any{"questionnaire_id": migrations.BaselineID, "answers": answers}}).status(201).object()
	return r.h.do(request{method: "POST", path: "/api/v1/assessments/" + a["id"].(string) + "/submit", role: register.RoleEditor}).status(200).object()
}

func TestBaselinePostureThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		if n := len(d.Questions); n < 30 || n > 40 {
			t.Fatalf("baseline has %d questions", n)
		}
		r := newRegister(h)
		r.supplier("Best Co", "high", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.supplier("Worst Co", "high", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.supplier("Almost Co", "high", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		best := answersWhere(d, true)
		almost := answersWhere(d, true)
		var critical string
		for _, q := range d.Questions {
			if q.Critical {
				critical = q.Key
				break
			}
		}
		almost[critical] = answersWhere(d, false)[critical]

		score := func(a map[string]any) float64 { return a["score"].(map[string]any)["score"].(float64) }
		if got := score(r.assess("Best Co", best)); got != 100 {
			t.Fatalf("all best options: %v, want 100", got)
		}
		if got := score(r.assess("Worst Co", answersWhere(d, false))); got != 0 {
			t.Fatalf("all worst options: %v, want 0", got)
		}
		capped := r.assess("Almost Co", almost)
		if got := score(capped); got != 40 || fmt.Sprint(capped["score"].(map[string]any)["failed_critical"]) != "["+critical+"]" {
			t.Fatalf("one failed critical control: %v %v, want capped at 40", got, capped["score"].(map[string]any)["failed_critical"])
		}
		// The risk endpoint explains the posture with the cap.
		var risk struct {
			Posture   *float64
			Tier      string
			Breakdown struct {
				Posture struct {
					Value     *float64
					Breakdown []struct {
						Factor string
						Points float64
					}
				}
			}
			LatestAssessment *struct {
				FailedCritical []string `json:"failed_critical"`
			} `json:"latest_assessment"`
		}
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + r.ids["Almost Co"] + "/risk", role: register.RoleViewer}).status(200).json(&risk)
		if risk.Posture == nil || *risk.Posture != 40 || risk.LatestAssessment == nil || len(risk.LatestAssessment.FailedCritical) != 1 {
			t.Fatalf("risk %+v", risk)
		}
		sum := 0.0
		for _, p := range risk.Breakdown.Posture.Breakdown {
			sum += p.Points
		}
		if fmt.Sprintf("%.2f", sum) != "40.00" {
			t.Fatalf("posture breakdown sums to %.2f: %+v", sum, risk.Breakdown.Posture.Breakdown)
		}
	})
}

func TestAssessmentLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		sid := r.supplier("Quayside Mail", "high", "GB")
		first := d.Questions[0]
		// Every answer given is checked, even on a draft.
		fe := h.do(request{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", role: register.RoleEditor,
			body: map[string]any{"questionnaire_id": migrations.BaselineID, "answers": map[string]string{"no_such_question": "yes", first.Key: "maybe"}}}).status(400).fieldErrors()
		if len(fe) != 2 || !strings.HasPrefix(fe[0], "answers.no_such_question: is not a question") || !strings.HasPrefix(fe[1], "answers."+first.Key+": must be one of") {
			t.Fatalf("errors %v", fe)
		}
		a := h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", role: register.RoleEditor,
			body: map[string]any{"questionnaire_id": migrations.BaselineID, "answers": map[string]string{first.Key: first.Options[0].Value}}}).status(201).object()
		id := a["id"].(string)
		// Submitting a partial draft names every missing non-optional answer.
		missing := h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/submit", role: register.RoleEditor}).status(400).fieldErrors()
		required := 0
		for _, q := range d.Questions {
			if !q.Optional {
				required++
			}
		}
		if len(missing) != required-1 {
			t.Fatalf("%d missing answers reported, want %d", len(missing), required-1)
		}
		h.validRequest(request{method: "PATCH", path: "/api/v1/assessments/" + id, role: register.RoleEditor, contentType: "application/merge-patch+json",
			header: map[string]string{"If-Match": `"1"`}, body: map[string]any{"answers": answersWhere(d, true), "comments": map[string]string{first.Key: "see SOC 2 report"}}}).status(200)
		sub := h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/submit", role: register.RoleEditor}).status(200).object()
		if sub["status"] != "submitted" || sub["submitted_by"] != h.ids[register.RoleEditor] || sub["score"].(map[string]any)["methodology"] == "" {
			t.Fatalf("submitted %v", sub)
		}
		// Submitted assessments are immutable.
		h.do(request{method: "PATCH", path: "/api/v1/assessments/" + id, role: register.RoleEditor, body: map[string]any{"answers": map[string]string{first.Key: first.Options[0].Value}}}).status(409)
		h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/submit", role: register.RoleEditor}).status(409)
		// The submitter cannot review its own work — 403 even with an invalid body.
		h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleEditor, body: map[string]any{"decision": "maybe"}}).status(403)
		// Another key may; rejecting needs a comment.
		fe = h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleAdmin, body: map[string]any{"decision": "reject"}}).status(400).fieldErrors()
		if strings.Join(fe, ";") != "comment: is required to reject: say what the supplier must change" {
			t.Fatalf("errors %v", fe)
		}
		rev := h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleAdmin, body: map[string]any{"decision": "approve", "comment": "evidence checked"}}).status(200).object()
		if rev["status"] != "approved" || rev["reviewed_by"] != h.ids[register.RoleAdmin] {
			t.Fatalf("reviewed %v", rev)
		}
		h.do(request{method: "POST", path: "/api/v1/assessments/" + id + "/review", role: register.RoleAdmin, body: map[string]any{"decision": "approve"}}).status(409)
		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/suppliers/" + sid + "/assessments", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 1 {
			t.Fatalf("history %v", list)
		}
	})
}

func TestQuestionnaireLibrary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		body := map[string]any{"name": "Cloud hosting addendum", "questions": []any{
			map[string]any{"key": "region_pinning", "domain": "data_protection", "text": "Is data pinned to UK regions?", "weight": 2,
				"options": []any{map[string]any{"value": "yes", "score": 1.0}, map[string]any{"value": "no", "score": 0.0}}}}}
		bad := map[string]any{"name": "", "questions": []any{
			map[string]any{"key": "Bad Key", "domain": "", "text": "x", "weight": 0, "options": []any{map[string]any{"value": "yes", "score": 1.5}}},
			map[string]any{"key": "dup", "domain": "d", "text": "x", "weight": 1, "options": []any{}},
			map[string]any{"key": "dup", "domain": "d", "text": "x", "weight": 1, "options": []any{map[string]any{"value": "n/a", "score": nil}}}}}
		fe := h.do(request{method: "POST", path: "/api/v1/questionnaires", role: register.RoleAdmin, body: bad}).status(400).fieldErrors()
		want := []string{"name: is required", "questions[0].key: must match", "questions[0].domain: is required", "questions[0].weight: must be greater than 0",
			"questions[0].options[0].score: must be between 0 and 1", "questions[1].options: must offer at least one answer",
			"questions[2].key: duplicates", "questions[2].options: must include at least one option with a score"}
		if len(fe) != len(want) {
			t.Fatalf("errors %v", fe)
		}
		for i, w := range want {
			if !strings.HasPrefix(fe[i], w) {
				t.Errorf("error %d = %q, want %q…", i, fe[i], w)
			}
		}
		h.do(request{method: "POST", path: "/api/v1/questionnaires", role: register.RoleEditor, body: body}).status(403)
		q := h.validRequest(request{method: "POST", path: "/api/v1/questionnaires", role: register.RoleAdmin, body: body}).status(201).object()
		qid := q["id"].(string)
		// Drafts cannot be answered; they can be edited, then published and frozen.
		sid := newRegister(h).supplier("Quayside Mail", "high", "GB")
		h.do(request{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", role: register.RoleEditor, body: map[string]any{"questionnaire_id": qid}}).status(400)
		h.validRequest(request{method: "PATCH", path: "/api/v1/questionnaires/" + qid, role: register.RoleAdmin, body: map[string]any{"description": "for hosting providers"}}).status(200)
		pub := h.do(request{method: "POST", path: "/api/v1/questionnaires/" + qid + "/publish", role: register.RoleAdmin}).status(200).object()
		if pub["status"] != "published" || pub["published_at"] == nil {
			t.Fatalf("published %v", pub)
		}
		h.do(request{method: "PATCH", path: "/api/v1/questionnaires/" + qid, role: register.RoleAdmin, body: map[string]any{"name": "x"}}).status(409)
		h.do(request{method: "POST", path: "/api/v1/questionnaires/" + qid + "/publish", role: register.RoleAdmin}).status(409)
		v2 := h.do(request{method: "POST", path: "/api/v1/questionnaires/" + qid + "/versions", role: register.RoleAdmin}).status(201).object()
		if v2["revision"] != 2.0 || v2["family_id"] != qid || v2["status"] != "draft" {
			t.Fatalf("new version %v", v2)
		}
		h.do(request{method: "POST", path: "/api/v1/questionnaires/" + qid + "/versions", role: register.RoleAdmin}).status(409)
		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/questionnaires", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 3 || list.Items[0]["built_in"] != true {
			t.Fatalf("library %d items", len(list.Items))
		}
	})
}

// The supplier list orders and filters by risk computed on read.
func TestSupplierListByRisk(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		r.supplier("Strong Hosting", "critical", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.holds("Strong Hosting", "political_opinions", 600000, "members")
		r.assess("Strong Hosting", answersWhere(d, true))
		r.supplier("Weak Mail", "critical", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.holds("Weak Mail", "political_opinions", 600000, "members")
		r.assess("Weak Mail", answersWhere(d, false))
		r.supplier("Unassessed Print", "low", "GB")
		names := func(q string) string {
			var l struct {
				Items []struct {
					Name string
					Risk struct{ Tier string }
				}
			}
			h.validRequest(request{method: "GET", path: "/api/v1/suppliers?" + q, role: register.RoleViewer}).status(200).json(&l)
			var out []string
			for _, s := range l.Items {
				out = append(out, s.Name+":"+s.Risk.Tier)
			}
			return strings.Join(out, ",")
		}
		worst := names("sort=-residual_risk")
		if !strings.HasPrefix(worst, "Weak Mail:") {
			t.Fatalf("-residual_risk: %s", worst)
		}
		if got := names("sort=posture"); !strings.HasPrefix(got, "Unassessed Print:") || !strings.HasSuffix(got, "Strong Hosting:"+strings.Split(strings.Split(worst, ",")[1], ":")[1]) && !strings.Contains(got, "Strong Hosting") {
			t.Fatalf("posture: %s", got)
		}
		weakTier := strings.Split(strings.Split(worst, ",")[0], ":")[1]
		if got := names("tier=" + weakTier); !strings.Contains(got, "Weak Mail") || strings.Contains(got, "Strong Hosting:"+weakTier) {
			t.Fatalf("tier=%s: %s", weakTier, got)
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?tier=severe", role: register.RoleViewer}).status(400)
		all := "tier=critical,high,medium,low"
		if asc, desc := names(all+"&sort=name"), names(all+"&sort=-name"); asc != "Strong Hosting:"+strings.Split(names("q=strong"), ":")[1]+","+
			"Unassessed Print:"+strings.Split(names("q=unassessed"), ":")[1]+","+"Weak Mail:"+weakTier || strings.Split(desc, ",")[0] != "Weak Mail:"+weakTier {
			t.Fatalf("tier-filtered name sorts: %s / %s", asc, desc)
		}
		// A cursor from the tier-filtered list is not accepted by the plain list.
		var pg struct {
			NextCursor *string `json:"next_cursor"`
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?" + all + "&limit=1", role: register.RoleViewer}).status(200).json(&pg)
		h.do(request{method: "GET", path: "/api/v1/suppliers?limit=1&cursor=" + *pg.NextCursor, role: register.RoleViewer}).status(400)

		// Lists compute risk from per-supplier aggregates; the figures must equal the
		// full breakdown's.
		r.holds("Strong Hosting", "health", 1200, "members")
		r.holds("Strong Hosting", "contact_details", 650000, "members")
		var l struct {
			Items []struct {
				ID   string
				Risk struct {
					Inherent, Residual float64
					Posture            *float64
					Tier               string
				}
			}
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?sort=-inherent_risk", role: register.RoleViewer}).status(200).json(&l)
		for _, it := range l.Items {
			var full struct {
				Inherent, Residual float64
				Posture            *float64
				Tier               string
			}
			h.do(request{method: "GET", path: "/api/v1/suppliers/" + it.ID + "/risk", role: register.RoleViewer}).status(200).json(&full)
			if full.Inherent != it.Risk.Inherent || full.Residual != it.Risk.Residual || full.Tier != it.Risk.Tier ||
				fmt.Sprint(full.Posture) != fmt.Sprint(it.Risk.Posture) && *full.Posture != *it.Risk.Posture {
				t.Errorf("list %+v, risk endpoint %+v", it.Risk, full)
			}
		}
	})
}
