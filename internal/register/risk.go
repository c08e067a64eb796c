package register

import (
	"context"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Risk is a supplier's risk picture at a moment: computed on read, against the clock,
// so date-based adjustments (an expired certification) take effect without a batch job.
type Risk struct {
	Inherent Figure
	Posture  PostureFigure
	// PostureProvisional: the posture comes from a submitted assessment nobody has
	// reviewed yet (false when there is no posture).
	PostureProvisional bool
	Residual           Figure
	Tier               string      // the residual-risk tier
	InherentTier       string      // the tier thresholds applied to inherent risk: sets the reassessment cadence
	Assessment         *Assessment // the latest submitted or approved one; nil when never assessed
	NextReassessment   string      // YYYY-MM-DD, by the inherent tier's interval; "" when never assessed (due now)
	ReassessOverdue    bool
	// Flags and EffectivePosture need the whole portfolio; only SupplierRisk fills them.
	Flags            []FlagView
	EffectivePosture *float64
}

// riskInputs is what computing suppliers' risk needs, loaded in bulk: either every
// holding (for one supplier's full breakdown) or per-supplier aggregates (for lists,
// where only the figures are shown). Both give the same figures.
type riskInputs struct {
	holdings map[string][]scoring.Holding
	latest   map[string]store.AssessmentRow
}

// loadRiskInputs loads holdings and latest scored assessments for the given
// suppliers (nil: every live supplier) in two statements. With aggregate, holdings
// come summed per supplier, which keeps lists of thousands of suppliers fast.
func loadRiskInputs(tx *store.Tx, ids []string, aggregate bool) (riskInputs, error) {
	in := riskInputs{holdings: map[string][]scoring.Holding{}, latest: map[string]store.AssessmentRow{}}
	if aggregate {
		ags, err := tx.RiskAggregates(ids)
		if err != nil {
			return in, err
		}
		for _, a := range ags {
			in.holdings[a.SupplierID] = aggregateHoldings(a)
		}
	} else {
		hs, err := tx.RiskHoldings(ids)
		if err != nil {
			return in, err
		}
		for _, h := range hs {
			in.holdings[h.SupplierID] = append(in.holdings[h.SupplierID], scoring.Holding{Category: h.CategoryKey,
				Sensitivity: h.Sensitivity, Special: h.SpecialCategory || h.CriminalOffence, Records: h.RecordCount})
		}
	}
	as, err := tx.LatestScored(ids)
	if err != nil {
		return in, err
	}
	for _, a := range as {
		in.latest[a.SupplierID] = a
	}
	return in, nil
}

// riskOf computes one supplier's risk from loaded inputs.
func (s *Service) riskOf(sup Supplier, in riskInputs, today string) Risk {
	cfg := s.scoring
	hs := in.holdings[sup.ID]
	inherent := scoring.Inherent(hs, sup.Criticality, cfg)
	r := Risk{Inherent: figureOf(inherent)}
	pin := scoring.PostureInput{DPASigned: sup.DPASignedAt != nil, HoldsPersonalData: len(hs) > 0, Today: today}
	for _, c := range sup.Certifications {
		pin.Certifications = append(pin.Certifications, scoring.Certification{Scheme: c.Scheme, ExpiresAt: c.ExpiresAt})
	}
	if row, ok := in.latest[sup.ID]; ok {
		a := assessmentFromRow(row, Questionnaire{})
		if a.Score == nil && row.Score != nil { // a detail that no longer parses still has its score
			a.Score = &AssessmentScore{Score: *row.Score}
		}
		r.Assessment = &a
		pin.Assessment = a.Score.methodologyScore()
	}
	posture := scoring.PostureAt(pin, cfg)
	r.Posture = postureOf(posture)
	r.PostureProvisional = r.Posture.Value != nil && r.Assessment != nil && r.Assessment.Status == "submitted"
	r.Residual = figureOf(scoring.Residual(inherent.Value, posture.Value, cfg))
	r.Tier = scoring.Tier(r.Residual.Value, cfg)
	r.InherentTier = scoring.Tier(r.Inherent.Value, cfg)
	if r.Assessment != nil && r.Assessment.SubmittedAt != nil {
		last := r.Assessment.SubmittedAt.Format(time.DateOnly)
		r.NextReassessment = scoring.NextReassessment(last, r.InherentTier, cfg)
		r.ReassessOverdue = scoring.ReassessmentOverdue(last, r.InherentTier, today, cfg)
	}
	return r
}

// aggregateHoldings stands in for a supplier's holdings with the three figures
// inherent risk depends on: one holding with the highest sensitivity and all the
// records, and one stand-in per distinct special category.
func aggregateHoldings(a store.RiskAggregate) []scoring.Holding {
	hs := []scoring.Holding{{Category: "all", Sensitivity: a.MaxSensitivity, Records: a.Records}}
	for i := 0; i < a.Special; i++ {
		hs = append(hs, scoring.Holding{Category: "special_" + itoa(i), Sensitivity: a.MaxSensitivity, Special: true})
	}
	return hs
}

// SupplierRisk answers GET /suppliers/{id}/risk: inherent, posture, residual, tier and
// the breakdown behind each, the latest assessment and when the next one is due.
func (s *Service) SupplierRisk(ctx context.Context, id string) (Supplier, Risk, error) {
	if !ValidID(id) {
		return Supplier{}, Risk{}, supplierNotFound()
	}
	var (
		sup Supplier
		r   Risk
	)
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		row, err := supplierRow(tx, id)
		if err != nil {
			return err
		}
		sup = supplierFromRow(row)
		in, err := loadRiskInputs(tx, []string{id}, false)
		if err != nil {
			return err
		}
		now := s.now()
		r = s.riskOf(sup, in, now.Format(time.DateOnly))
		if sup.ArchivedAt == nil { // archived suppliers hold nothing and raise no flags
			p, err := s.LoadPortfolio(tx, now)
			if err != nil {
				return err
			}
			r.Flags, r.EffectivePosture = p.FlagViews(id), p.Flags[id].EffectivePosture
		}
		if r.Assessment != nil { // name the questionnaire it answered
			q, err := tx.GetQuestionnaire(r.Assessment.QuestionnaireID)
			if err != nil {
				return err
			}
			r.Assessment.QuestionnaireName, r.Assessment.QuestionnaireRevision = q.Name, q.Revision
		}
		return nil
	})
	return sup, r, err
}

// RiskSummary is the part of a supplier's risk shown in lists.
type RiskSummary struct {
	Inherent           float64
	Posture            *float64
	PostureProvisional bool // the posture comes from a submitted, unreviewed assessment
	Residual           float64
	Tier               string
}

func (r Risk) summary() RiskSummary {
	return RiskSummary{Inherent: r.Inherent.Value, Posture: r.Posture.Value, PostureProvisional: r.PostureProvisional,
		Residual: r.Residual.Value, Tier: r.Tier}
}
