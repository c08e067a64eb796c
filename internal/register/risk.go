package register

import (
	"context"
	"errors"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Risk is a supplier's risk picture at a moment: computed on read, against the clock,
// so date-based adjustments (an expired certification) take effect without a batch job.
type Risk struct {
	InCare   DataInCare // what a breach would expose: own and received records, and people
	Inherent Figure     // from the data in care; its breakdown ends with 0-point source lines
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

// DataInCare is how much a supplier has in its care: records (own plus those that
// arrive through links, capped) and the people they are about.
type DataInCare struct {
	Records int64
	People  People
}

// riskInputs is what computing suppliers' risk needs, loaded in bulk: every live
// supplier's data in care (from every live holding and edge) and the latest scored
// assessments.
type riskInputs struct {
	care   inCare
	latest map[string]store.AssessmentRow
}

// riskOf computes one supplier's risk from loaded inputs.
func (s *Service) riskOf(sup Supplier, in riskInputs, today string) Risk {
	cfg := s.scoring
	inherent := scoring.Inherent(in.care.scoringHoldings(sup.ID), sup.Criticality, cfg)
	r := Risk{Inherent: figureOf(inherent), InCare: DataInCare{Records: in.care.records(sup.ID), People: in.care.people(sup.ID)}}
	r.Inherent.Breakdown = append(r.Inherent.Breakdown, in.care.sources(sup.ID)...)
	// The DPA deduction follows direct holdings only: a sub-processor's contract is
	// with the processor that engaged it.
	pin := scoring.PostureInput{DPASigned: sup.DPASignedAt != nil, HoldsPersonalData: in.care.direct[sup.ID], Today: today}
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

// SupplierRisk answers GET /suppliers/{id}/risk: inherent, posture, residual, tier and
// the breakdown behind each, the latest assessment and when the next one is due —
// from the stored projection (a few indexed reads), recomputed on the spot when a
// date has changed it since it was stored.
func (s *Service) SupplierRisk(ctx context.Context, id string) (Supplier, Risk, error) {
	if !ValidID(id) {
		return Supplier{}, Risk{}, supplierNotFound()
	}
	var (
		sup Supplier
		r   Risk
	)
	now := s.now()
	// The usual case: one statement reads the supplier, its stored row and the
	// projection's state, and the row is current.
	tx := s.st.NoTx(ctx)
	row, err := tx.SupplierWithRisk(id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return sup, r, err
	}
	if err == nil && s.projectionCurrent(row.Built, row.Methodology) && (row.Risk.ValidUntil == nil || row.Risk.ValidUntil.After(now)) {
		sup = supplierFromRow(row.Supplier)
		if r, err = riskFromRow(row.Risk); err != nil {
			return sup, r, err
		}
		return sup, r, s.nameQuestionnaire(tx, &r)
	}
	// Otherwise (no such supplier, figures past their valid_until, an unbuilt
	// projection): in one transaction, recomputed on the spot when they can be.
	err = s.st.Read(ctx, func(tx *store.Tx) error {
		row, err := supplierRow(tx, id)
		if err != nil {
			return err
		}
		sup = supplierFromRow(row)
		r, err = s.storedRisk(tx, id, now)
		if err != nil {
			return err
		}
		return s.nameQuestionnaire(tx, &r)
	})
	return sup, r, err
}

// questionnaireName is a questionnaire version's name and revision.
type questionnaireName struct {
	name     string
	revision int
}

// nameQuestionnaire names the questionnaire r's latest assessment answered. A
// published version is frozen, so its name is read once per process and kept.
func (s *Service) nameQuestionnaire(tx *store.Tx, r *Risk) error {
	if r.Assessment == nil {
		return nil
	}
	id := r.Assessment.QuestionnaireID
	if n, ok := s.published.Load(id); ok {
		r.Assessment.QuestionnaireName, r.Assessment.QuestionnaireRevision = n.(questionnaireName).name, n.(questionnaireName).revision
		return nil
	}
	name, err := tx.QuestionnaireName(id)
	if err != nil {
		return err
	}
	if name.Status == "published" {
		s.published.Store(id, questionnaireName{name: name.Name, revision: name.Revision})
	}
	r.Assessment.QuestionnaireName, r.Assessment.QuestionnaireRevision = name.Name, name.Revision
	return nil
}

// RiskSummary is the part of a supplier's risk shown in lists.
type RiskSummary struct {
	InCare             DataInCare
	Inherent           float64
	Posture            *float64
	PostureProvisional bool // the posture comes from a submitted, unreviewed assessment
	Residual           float64
	Tier               string
}

func (r Risk) summary() RiskSummary {
	return RiskSummary{InCare: r.InCare, Inherent: r.Inherent.Value, Posture: r.Posture.Value,
		PostureProvisional: r.PostureProvisional, Residual: r.Residual.Value, Tier: r.Tier}
}

// storedRisk reads one supplier's risk from the projection; figures past their
// valid_until are recomputed (not stored: the next write or the background refresh
// does that). An unbuilt projection is CodeUnavailable.
func (s *Service) storedRisk(tx *store.Tx, id string, now time.Time) (Risk, error) {
	built, stats, err := s.riskState(tx)
	if err != nil {
		return Risk{}, err
	}
	if !built {
		return Risk{}, errRiskNotBuilt()
	}
	rows, err := tx.RiskRowsOf([]string{id})
	if err != nil {
		return Risk{}, err
	}
	if len(rows) == 1 && (rows[0].ValidUntil == nil || rows[0].ValidUntil.After(now)) {
		return riskFromRow(rows[0])
	}
	prs, err := s.computeProjection(tx, now, []string{id}, stats, nil)
	if err != nil {
		return Risk{}, err
	}
	pr := prs[id]
	if pr == nil {
		return Risk{}, supplierNotFound()
	}
	return pr.risk, nil
}
