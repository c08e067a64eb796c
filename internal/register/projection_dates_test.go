package register_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

// bestAnswers answers every baseline question with its best-scoring option.
func bestAnswers(t *testing.T) map[string]string {
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
		best := -1.0
		for _, o := range q.Options {
			if o.Score != nil && *o.Score > best {
				out[q.Key], best = o.Value, *o.Score
			}
		}
	}
	return out
}

func hasFlag(fs []register.FlagView, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

// A certificate that expires changes the figures with no write: the very next read
// of the supplier, of a supplier upstream of it, and of the weak-links ranking
// answers with the new figures, and the stored projection is then exact.
func TestRiskFiguresChangeWhenADatePassesWithNoWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := testdb.NewClock(t0) // 2026-11-23 09:00 UTC
		svc := register.New(st, clock.Now)
		expires := t0.Format(time.DateOnly)
		sub, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Vault Backup", Criticality: "high", Status: "active",
			DPASignedAt: ptrTo("2025-01-01"), Certifications: []register.Certification{{Scheme: "iso27001", ExpiresAt: expires}}})
		if err != nil {
			t.Fatal(err)
		}
		up, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Harbour CRM", Criticality: "high", Status: "active",
			DPASignedAt: ptrTo("2025-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateHolding(ctx, editor, up.ID, register.HoldingFields{Category: "political_opinions",
			DataSubjects: []string{"members"}, RecordCount: ptrTo(int64(80_000)), Purpose: "membership"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateLink(ctx, editor, up.ID, register.LinkFields{SubprocessorID: sub.ID, Categories: []string{"political_opinions"},
			AuthorisedAt: ptrTo("2025-01-01")}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{sub.ID, up.ID} {
			a, err := svc.CreateAssessment(ctx, editor, id, register.AssessmentFields{QuestionnaireID: migrations.BaselineID, Answers: bestAnswers(t)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SubmitAssessment(ctx, editor, a.ID, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.ReviewAssessment(ctx, approver, a.ID, nil, func() (register.Review, error) {
				return register.Review{Decision: "approve"}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		_, before, err := svc.SupplierRisk(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, upBefore, err := svc.SupplierRisk(ctx, up.ID)
		if err != nil {
			t.Fatal(err)
		}
		if hasFlag(before.Flags, "certification_expired") || before.Posture.Value == nil {
			t.Fatalf("before expiry: posture %v, flags %+v", before.Posture.Value, before.Flags)
		}
		// The certificate is valid on its expiry date; from the next day it has expired.
		clock.Advance(time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC).Sub(t0))
		_, after, err := svc.SupplierRisk(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !hasFlag(after.Flags, "certification_expired") || !(*after.Posture.Value < *before.Posture.Value) {
			t.Fatalf("after expiry: posture %v → %v, flags %+v", *before.Posture.Value, *after.Posture.Value, after.Flags)
		}
		_, upAfter, err := svc.SupplierRisk(ctx, up.ID)
		if err != nil {
			t.Fatal(err)
		}
		if upAfter.EffectivePosture == nil || *upAfter.EffectivePosture != *after.Posture.Value ||
			*upAfter.EffectivePosture == *upBefore.EffectivePosture {
			t.Fatalf("upstream effective posture %v → %v, the sub-processor's posture is now %v",
				*upBefore.EffectivePosture, *upAfter.EffectivePosture, *after.Posture.Value)
		}
		page, err := svc.WeakLinks(ctx, register.WeakLinkFilter{Flags: []string{"certification_expired"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].Supplier.ID != sub.ID {
			t.Fatalf("weak links with an expired certificate: %+v", page.Items)
		}
		if v := mustVerify(t, svc, "after the ranking read"); v.Awaiting != 0 || v.Suppliers != 2 {
			t.Fatalf("verification: %+v", v)
		}
	})
}

// Reads answer 503 (CodeUnavailable) until a projection that was never built is
// built; the upkeep builds it once, and then finds nothing to do.
func TestUnbuiltRiskFiguresAnswerUnavailableUntilBuilt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"})
		if err != nil {
			t.Fatal(err)
		}
		testdb.Exec(t, st, "UPDATE risk_projection SET built = FALSE", "DELETE FROM supplier_risk")
		_, _, err = svc.SupplierRisk(ctx, s.ID)
		if de, ok := register.AsError(err); !ok || de.Code != register.CodeUnavailable {
			t.Fatalf("risk while unbuilt: %v", err)
		}
		if _, err := svc.WeakLinks(ctx, register.WeakLinkFilter{}); err == nil {
			t.Fatal("weak links while unbuilt answered")
		}
		up, err := svc.KeepRiskCurrent(ctx)
		if err != nil || !up.Ran || !up.Built {
			t.Fatalf("upkeep: %+v, %v", up, err)
		}
		if _, r, err := svc.SupplierRisk(ctx, s.ID); err != nil || r.Tier == "" {
			t.Fatalf("risk once built: %+v, %v", r, err)
		}
		if up, err := svc.KeepRiskCurrent(ctx); err != nil || up.Built || up.Refreshed != 0 {
			t.Fatalf("second upkeep: %+v, %v", up, err)
		}
		mustVerify(t, svc, "after the build")
	})
}

// redoProjectionMigration rolls the schema back to just before the projection's
// migration (and the later ones) and migrates up again.
func redoProjectionMigration(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	for {
		v, err := st.MigrateDown(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v <= migrations.RiskProjectionVersion {
			break
		}
	}
	if _, err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
}

// The migration that adds the projection marks it unbuilt on a register that has
// suppliers (the register's code must compute it) and built on an empty one.
func TestProjectionMigrationMarksAnExistingRegisterUnbuilt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		redoProjectionMigration(t, st)
		if _, err := svc.WeakLinks(ctx, register.WeakLinkFilter{}); err != nil {
			t.Fatalf("an empty register's projection is built as it stands: %v", err)
		}
		if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"}); err != nil {
			t.Fatal(err)
		}
		redoProjectionMigration(t, st)
		_, err := svc.WeakLinks(ctx, register.WeakLinkFilter{})
		if de, ok := register.AsError(err); !ok || de.Code != register.CodeUnavailable {
			t.Fatalf("weak links on a migrated register with suppliers: %v", err)
		}
		if built, err := svc.BuildRiskIfNeeded(ctx); err != nil || !built {
			t.Fatalf("build: %v %v", built, err)
		}
		mustVerify(t, svc, "after the build")
	})
}

// Figures stored under other scoring settings are never served: reads answer
// unavailable until they are recomputed under the settings in force, and the
// recomputation keeps the risk history going.
func TestChangedSettingsRecomputeTheStoredFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "critical"})
		if err != nil {
			t.Fatal(err)
		}
		if _, r, err := svc.SupplierRisk(ctx, s.ID); err != nil || r.Tier == "low" {
			t.Fatalf("default settings: %+v, %v", r.Tier, err)
		}
		cfg := scoring.DefaultConfig()
		cfg.TierCritical, cfg.TierHigh, cfg.TierMedium = 100, 99.9, 99.8
		strict, clock := newService(t, st)
		strict.WithScoring(cfg)
		clock.Advance(time.Hour)
		_, _, err = strict.SupplierRisk(ctx, s.ID)
		if de, ok := register.AsError(err); !ok || de.Code != register.CodeUnavailable {
			t.Fatalf("risk under other settings: %v", err)
		}
		if did, err := strict.BuildRiskIfNeeded(ctx); err != nil || !did {
			t.Fatalf("rebuild: %v %v", did, err)
		}
		if _, r, err := strict.SupplierRisk(ctx, s.ID); err != nil || r.Tier != "low" {
			t.Fatalf("new settings: %+v, %v", r.Tier, err)
		}
		page, err := strict.RiskHistory(ctx, s.ID, "", 10)
		if err != nil || len(page.Items) != 2 || page.Items[0].Tier != "low" {
			t.Fatalf("history across the change: %+v, %v", page.Items, err)
		}
	})
}

// A process configured differently writing to the same database (a rolling upgrade,
// a setting changed on one of two servers) marks the stored figures as needing a
// rebuild: no process serves figures its write did not maintain.
func TestAWriteUnderOtherSettingsSupersedesTheStoredFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := testdb.NewClock(t0)
		a := register.New(st, clock.Now)
		s, err := a.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high", Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		cfg := scoring.DefaultConfig()
		cfg.NoDPAPenalty++
		b := register.New(st, clock.Now).WithScoring(cfg)
		if did, err := b.BuildRiskIfNeeded(ctx); err != nil || !did {
			t.Fatal(did, err)
		}
		clock.Advance(time.Minute)
		if _, err := a.CreateHolding(ctx, editor, s.ID, register.HoldingFields{Category: "political_opinions",
			DataSubjects: []string{"members"}, RecordCount: ptrTo(int64(900_000)), Purpose: "membership"}); err != nil {
			t.Fatal(err)
		}
		for name, svc := range map[string]*register.Service{"a": a, "b": b} {
			_, _, err := svc.SupplierRisk(ctx, s.ID)
			if de, ok := register.AsError(err); !ok || de.Code != register.CodeUnavailable {
				t.Fatalf("%s reads after a write it could not maintain: %v", name, err)
			}
		}
		if did, err := b.BuildRiskIfNeeded(ctx); err != nil || !did {
			t.Fatal(did, err)
		}
		if _, r, err := b.SupplierRisk(ctx, s.ID); err != nil || r.InCare.Records != 900_000 {
			t.Fatalf("after the rebuild: %d records in care, %v", r.InCare.Records, err)
		}
		mustVerify(t, b, "after the rebuild")
	})
}

// A cursor a client altered to hold a NUL (or one issued before the risk orders were
// stored, whose separators were NUL) pages on instead of failing the query.
func TestACursorWithANulPagesOn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"}); err != nil {
			t.Fatal(err)
		}
		for _, raw := range []string{`{"k":"weak-links::::","v":"00000\u0000x","i":"x"}`,
			`{"k":"suppliers-by-risk:-residual_risk::","v":"000100\u0000x","i":"x"}`} {
			cur := base64.RawURLEncoding.EncodeToString([]byte(raw))
			if _, err := svc.WeakLinks(ctx, register.WeakLinkFilter{Cursor: cur}); err != nil {
				if _, ok := register.AsError(err); !ok {
					t.Fatalf("weak links with %s: %v", raw, err)
				}
			}
			if _, err := svc.ListSuppliers(ctx, register.SupplierFilter{Sort: "-residual_risk", Cursor: cur}); err != nil {
				if _, ok := register.AsError(err); !ok {
					t.Fatalf("risk-ordered list with %s: %v", raw, err)
				}
			}
		}
	})
}
