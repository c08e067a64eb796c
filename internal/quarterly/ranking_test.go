package quarterly_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

var reviewer = register.Actor{KeyID: "01900000-0000-7000-8000-000000000002", Name: "dpo", Role: register.RoleAdmin}

// baselineAnswers answers every baseline question with its best option, except the
// keys in worst, which get their worst.
func baselineAnswers(t *testing.T, worst ...string) map[string]string {
	t.Helper()
	var doc struct {
		Questions []struct {
			Key     string
			Options []struct {
				Value string
				Score *float64
			}
		}
	}
	if err := json.Unmarshal(migrations.Baseline(), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, q := range doc.Questions {
		best, low, bs, ls := "", "", -1.0, 2.0
		for _, o := range q.Options {
			if o.Score != nil && *o.Score > bs {
				best, bs = o.Value, *o.Score
			}
			if o.Score != nil && *o.Score < ls {
				low, ls = o.Value, *o.Score
			}
		}
		out[q.Key] = best
		for _, w := range worst {
			if w == q.Key {
				out[q.Key] = low
			}
		}
	}
	return out
}

// submit submits an assessment of the given answers and, with approve, has a second
// key approve it; it returns the assessment's id.
func (f *reportFixture) submit(name string, answers map[string]string, approve bool) string {
	f.t.Helper()
	ctx := context.Background()
	a, err := f.svc.CreateAssessment(ctx, editor, f.ids[name], register.AssessmentFields{QuestionnaireID: migrations.BaselineID, Answers: answers})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.SubmitAssessment(ctx, editor, a.ID, nil); err != nil {
		f.t.Fatal(err)
	}
	if approve {
		if _, err := f.svc.ReviewAssessment(ctx, reviewer, a.ID, nil, func() (register.Review, error) {
			return register.Review{Decision: "approve", Comment: "evidence checked"}, nil
		}); err != nil {
			f.t.Fatal(err)
		}
	}
	return a.ID
}

// posture78 fails non-critical baseline questions of weight 4 × 7 and 2 × 1 out of
// 137: 107 ÷ 137 = 78.10.
var posture78 = []string{"security_certification", "mfa_cloud_services", "privileged_access", "unsupported_software",
	"malware_protection", "encryption_in_transit", "backup_credentials_separated", "policy_review"}

// needTool finds a command on PATH: missing, the test is skipped, or fails when CI=true.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not on PATH (CI=true)", name)
		}
		t.Skipf("%s is not on PATH", name)
	}
	return p
}

// rankingFixture: A (medium, 10,000 members' contact details and political opinions,
// approved posture 78.10) passes contact details to B (low, never assessed); C (low,
// 1,000 contact details, never assessed) has a residual risk between A's own and what
// A's residual would be on its effective posture (0, because of B).
func rankingFixture(t *testing.T, st *store.Store) (*reportFixture, report.Snapshot) {
	clock := testdb.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	svc := register.New(st, clock.Now)
	f := &reportFixture{t: t, svc: svc, rep: quarterly.New(svc, st), clock: clock, ids: map[string]string{}}
	ctx := context.Background()
	f.supplier("A Membership CRM", "medium", dpa)
	f.holds("A Membership CRM", "contact_details", 10000, "members")
	f.holds("A Membership CRM", "political_opinions", 10000, "members")
	f.submit("A Membership CRM", baselineAnswers(t, posture78...), true)
	f.supplier("B Analytics", "low")
	at := "2024-03-01"
	if _, err := svc.CreateLink(ctx, editor, f.ids["A Membership CRM"], register.LinkFields{SubprocessorID: f.ids["B Analytics"],
		Categories: []string{"contact_details"}, AuthorisedAt: &at}); err != nil {
		t.Fatal(err)
	}
	f.supplier("C Print House", "low", dpa)
	f.holds("C Print House", "contact_details", 1000, "customers")
	r, _, err := f.rep.GenerateReport(ctx, editor, "2026-Q4", false)
	if err != nil {
		t.Fatal(err)
	}
	return f, r.Snapshot
}

// The report ranks every table by the suppliers' own residual risk, as /weak-links
// does, shows that figure, and shows the supplier's own posture under "Posture".
func TestReportRanksByOwnResidualInEveryFormat(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		f, s := rankingFixture(t, st)
		line := func(ls []report.SupplierLine, name string) (int, report.SupplierLine) {
			for i, l := range ls {
				if l.Name == name {
					return i, l
				}
			}
			t.Fatalf("%s missing from %+v", name, ls)
			return 0, report.SupplierLine{}
		}
		ia, a := line(s.WeakLinks, "A Membership CRM")
		ic, c := line(s.WeakLinks, "C Print House")
		if a.Posture == nil || *a.Posture != 78.10 || a.EffectivePosture == nil || *a.EffectivePosture != 0 {
			t.Fatalf("A's postures: own %v, effective %v", a.Posture, a.EffectivePosture)
		}
		if !(c.Residual > a.Residual) || ic > ia {
			t.Fatalf("C (residual %.2f, rank %d) must rank above A (residual %.2f, rank %d)", c.Residual, c.Rank, a.Residual, a.Rank)
		}
		for i := 1; i < len(s.WeakLinks); i++ {
			if s.WeakLinks[i].Residual > s.WeakLinks[i-1].Residual || s.WeakLinks[i].Rank != i+1 {
				t.Fatalf("weak links out of residual order: %+v", s.WeakLinks)
			}
		}
		// The appendix holds the same order; the weakest links are its flagged lines.
		var flagged []string
		for _, l := range s.Suppliers {
			for _, fl := range l.Flags {
				if !fl.Accepted {
					flagged = append(flagged, l.Name)
					break
				}
			}
		}
		var weak []string
		for _, l := range s.WeakLinks {
			weak = append(weak, l.Name)
		}
		if strings.Join(flagged, "|") != strings.Join(weak, "|") {
			t.Fatalf("appendix order %v, weakest links %v", flagged, weak)
		}
		render := func(format string) []byte {
			t.Helper()
			r, err := f.rep.RenderReport(context.Background(), s.ID, format)
			if err != nil {
				t.Fatal(err)
			}
			return r.Body
		}
		// order checks that, in text, C's row comes before A's, C's showing its residual and
		// A's its own posture and residual, each written as the renderings write figures.
		order := func(where, text string) {
			t.Helper()
			num := shortest
			pc, pa := strings.Index(text, "C Print House"), strings.Index(text, "A Membership CRM")
			if pc < 0 || pa < 0 || pc > pa {
				t.Fatalf("%s: C at %d, A at %d", where, pc, pa)
			}
			rowA := text[pa:min(len(text), pa+400)]
			if !strings.Contains(rowA, num(78.10)) || !strings.Contains(rowA, num(a.Residual)) {
				t.Fatalf("%s: A's row does not show posture %s and residual %s: %q", where, num(78.10), num(a.Residual), rowA)
			}
			if !strings.Contains(text[pc:pa], num(c.Residual)) {
				t.Fatalf("%s: C's row does not show residual %s", where, num(c.Residual))
			}
		}
		html := string(render("html"))
		wl := html[strings.Index(html, "<h2>Weakest links</h2>"):strings.Index(html, "<h2>Exposure matrix</h2>")]
		order("HTML weakest links", wl)
		order("HTML appendix", html[strings.Index(html, "<h2>Appendix: all suppliers</h2>"):])

		text := pdfToText(t, render("pdf"))
		wlAt := strings.LastIndex(text, "Weakest links\n")
		order("PDF weakest links", text[wlAt:])
		order("PDF appendix", text[strings.LastIndex(text, "Appendix: all suppliers"):])

		book, err := excelize.OpenReader(bytes.NewReader(render("xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range []string{"Weakest links", "Suppliers"} {
			rows, err := book.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range rows {
				b.WriteString(strings.Join(r, "\t") + "\n")
			}
			order("XLSX "+sheet, b.String())
		}

		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(render("csv"), []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range recs[1:] {
			names = append(names, r[0])
		}
		var appendix []string
		for _, l := range s.Suppliers {
			appendix = append(appendix, l.Name)
		}
		if strings.Join(names, "|") != strings.Join(appendix, "|") {
			t.Fatalf("CSV order %v, appendix %v", names, appendix)
		}
		var b strings.Builder
		for _, r := range recs {
			b.WriteString(strings.Join(r, ",") + "\n")
		}
		order("CSV", b.String())
	})
}

// shortest writes a figure as the renderings do: no trailing zeros.
func shortest(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func pdfToText(t *testing.T, b []byte) string {
	t.Helper()
	cmd := exec.Command(needTool(t, "pdftotext"), "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
