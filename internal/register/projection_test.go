package register_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

var approver = register.Actor{KeyID: "01900000-0000-7000-8000-000000000002", Name: "dpo", Role: register.RoleAdmin}

// randomAnswers answers every baseline question with a random option.
func randomAnswers(t *testing.T, r *rand.Rand) map[string]string {
	t.Helper()
	var doc struct {
		Questions []struct {
			Key     string
			Options []struct{ Value string }
		}
	}
	if err := json.Unmarshal(migrations.Baseline(), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	bias := r.IntN(3) // 0: mostly best answers, 2: anything
	for _, q := range doc.Questions {
		i := 0
		if r.IntN(3) < bias {
			i = r.IntN(len(q.Options))
		}
		out[q.Key] = q.Options[i].Value
	}
	return out
}

// expected passes the refusals a random write may meet (a duplicate, an archived
// supplier, a stale link) and fails the test on anything else.
func expected(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if de, ok := register.AsError(err); ok && (de.Code == register.CodeConflict || de.Code == register.CodeInvalid || de.Code == register.CodeNotFound) {
		return
	}
	t.Fatalf("%s: %v", op, err)
}

// mustVerify fails unless the stored projection equals a computation from scratch.
func mustVerify(t *testing.T, svc *register.Service, when string) register.RiskVerification {
	t.Helper()
	v, err := svc.RiskVerify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Differences) > 0 || v.Statistics {
		if d := v.Differences; len(d) > 0 && d[0].Stored != "" {
			t.Logf("stored:   %s\ncomputed: %s", d[0].Stored, d[0].Computed)
		}
		t.Fatalf("%s: the projection differs from a computation from scratch: statistics %v, %d suppliers: %+v",
			when, v.Statistics, len(v.Differences), v.Differences[:min(5, len(v.Differences))])
	}
	return v
}

// After any sequence of writes, every supplier's stored figures, flags, data in care
// and the portfolio statistics equal a computation from scratch.
func TestRiskProjectionMatchesAFullComputationAfterRandomWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := testdb.NewClock(t0)
		svc := register.New(st, clock.Now)
		r := rand.New(rand.NewPCG(12, 34))
		cats := []string{"contact_details", "financial", "political_opinions", "health", "employment", "online_identifiers"}
		var sups []string
		var holdings []string
		var assessments []string
		var incidents []string
		var acceptances []string
		pick := func(ids []string) string { return ids[r.IntN(len(ids))] }
		for i := range 14 {
			s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: fmt.Sprintf("Supplier %02d", i),
				Criticality: []string{"low", "medium", "high", "critical"}[r.IntN(4)], Status: "active",
				DPASignedAt:    ptrTo("2025-01-01"),
				Certifications: []register.Certification{{Scheme: "iso27001", ExpiresAt: t0.AddDate(0, 0, 1+r.IntN(60)).Format(time.DateOnly)}}})
			if err != nil {
				t.Fatal(err)
			}
			sups = append(sups, s.ID)
		}
		ops := 0
		kinds := map[string]int{}
		for ops < 260 {
			ops++
			clock.Advance(time.Duration(r.IntN(7)) * time.Hour)
			if ops%50 == 0 { // a long pause: more moments pending than a write steps through
				clock.Advance(10 * 24 * time.Hour)
			}
			switch k := r.IntN(13); k {
			case 0, 1:
				h, err := svc.CreateHolding(ctx, editor, pick(sups), register.HoldingFields{Category: cats[r.IntN(len(cats))],
					DataSubjects: []string{[]string{"members", "staff", "supporters"}[r.IntN(3)]}, RecordCount: ptrTo(int64(1 + r.IntN(100_000))),
					Purpose: "service"})
				expected(t, "create holding", err)
				if err == nil {
					holdings, kinds["holding"] = append(holdings, h.ID), kinds["holding"]+1
				}
			case 2:
				if len(holdings) == 0 {
					continue
				}
				_, err := svc.PatchHolding(ctx, editor, pick(holdings), nil, func(cur register.Holding) (register.HoldingFields, error) {
					f := cur.HoldingFields
					f.RecordCount = ptrTo(int64(r.IntN(200_000)))
					return f, nil
				})
				expected(t, "patch holding", err)
			case 3:
				if len(holdings) == 0 {
					continue
				}
				i := r.IntN(len(holdings))
				expected(t, "delete holding", svc.DeleteHolding(ctx, editor, holdings[i], nil))
				holdings = slices.Delete(holdings, i, i+1)
			case 4, 5:
				from, to := pick(sups), pick(sups)
				if from == to {
					continue
				}
				f := register.LinkFields{SubprocessorID: to, Categories: []string{cats[r.IntN(len(cats))], cats[r.IntN(len(cats))]}}
				if r.IntN(2) == 0 {
					f.AuthorisedAt = ptrTo("2025-06-01")
				}
				if r.IntN(3) == 0 {
					f.RecordCount = ptrTo(int64(r.IntN(50_000)))
				}
				f.Categories = slices.Compact(slices.Sorted(slices.Values(f.Categories)))
				_, err := svc.CreateLink(ctx, editor, from, f)
				expected(t, "create link", err)
				if err == nil {
					kinds["link"]++
				}
			case 6:
				expected(t, "delete link", svc.DeleteLink(ctx, editor, pick(sups), pick(sups), nil))
			case 7:
				_, err := svc.PatchSupplier(ctx, editor, pick(sups), nil, func(cur register.Supplier) (register.SupplierFields, error) {
					f := cur.SupplierFields
					switch r.IntN(4) {
					case 0:
						f.Name = fmt.Sprintf("%s·", f.Name)
					case 1:
						f.Criticality = []string{"low", "medium", "high", "critical"}[r.IntN(4)]
					case 2:
						f.Status = []string{"onboarding", "active", "offboarding"}[r.IntN(3)]
					default:
						f.DPASignedAt = nil
					}
					return f, nil
				})
				expected(t, "patch supplier", err)
			case 8, 9:
				a, err := svc.CreateAssessment(ctx, editor, pick(sups), register.AssessmentFields{QuestionnaireID: migrations.BaselineID,
					Answers: randomAnswers(t, r)})
				expected(t, "create assessment", err)
				if err != nil {
					continue
				}
				_, err = svc.SubmitAssessment(ctx, editor, a.ID, nil)
				expected(t, "submit assessment", err)
				assessments = append(assessments, a.ID)
				kinds["assessment"]++
			case 10:
				if len(assessments) == 0 {
					continue
				}
				_, err := svc.ReviewAssessment(ctx, approver, pick(assessments), nil, func() (register.Review, error) {
					if r.IntN(4) == 0 {
						return register.Review{Decision: "reject", Comment: "evidence missing"}, nil
					}
					return register.Review{Decision: "approve"}, nil
				})
				expected(t, "review assessment", err)
			case 11:
				if len(incidents) > 0 && r.IntN(2) == 0 {
					_, err := svc.PatchIncident(ctx, editor, pick(incidents), nil, func(cur register.Incident) (register.IncidentFields, error) {
						f := cur.IncidentFields
						f.Status = "closed"
						return f, nil
					})
					expected(t, "close incident", err)
					continue
				}
				aware := clock.Now().Add(-time.Duration(r.IntN(50)) * time.Hour)
				in, err := svc.CreateIncident(ctx, editor, register.IncidentFields{SupplierID: pick(sups), Summary: "ransomware",
					Status: "open", AwareAt: &aware})
				expected(t, "create incident", err)
				if err == nil {
					incidents = append(incidents, in.ID)
				}
			case 12:
				if len(acceptances) > 0 && r.IntN(2) == 0 {
					expected(t, "revoke acceptance", svc.WithdrawAcceptance(ctx, approver, pick(acceptances), nil))
					continue
				}
				exp := clock.Now().Add(time.Duration(1+r.IntN(200)) * time.Hour)
				a, err := svc.CreateAcceptance(ctx, approver, pick(sups), register.AcceptanceFields{
					Flag: []string{"no_dpa", "unassessed", "open_incident", "inherited_weakness"}[r.IntN(4)], Reason: "board decision", ExpiresAt: &exp})
				expected(t, "accept flag", err)
				if err == nil {
					acceptances = append(acceptances, a.ID)
				}
			}
			if ops%40 == 0 {
				// dates move on between writes: bring expired rows up to date as serve does
				if _, err := svc.RefreshRisk(ctx); err != nil {
					t.Fatal(err)
				}
				mustVerify(t, svc, fmt.Sprintf("after %d writes", ops))
			}
		}
		if i := r.IntN(len(sups)); true {
			expected(t, "archive", svc.ArchiveSupplier(ctx, editor, sups[i], nil))
		}
		if _, err := svc.RefreshRisk(ctx); err != nil {
			t.Fatal(err)
		}
		v := mustVerify(t, svc, "at the end")
		if v.Suppliers != len(sups) || kinds["link"] < 20 || kinds["assessment"] < 20 || kinds["holding"] < 20 {
			t.Fatalf("the sequence exercised too little: %d suppliers compared, writes %v", v.Suppliers, kinds)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
