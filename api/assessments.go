package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

type assessmentWrite struct {
	QuestionnaireID string            `json:"questionnaire_id"`
	Answers         map[string]string `json:"answers,omitempty"`
	Comments        map[string]string `json:"comments,omitempty"`
	Evidence        map[string]string `json:"evidence,omitempty"`
}

type partJSON struct {
	Factor string  `json:"factor"`
	Detail string  `json:"detail"`
	Points float64 `json:"points"`
}

func toParts(ps []register.Part) []partJSON {
	out := make([]partJSON, len(ps))
	for i, p := range ps {
		out[i] = partJSON(p)
	}
	return out
}

type answerScoreJSON struct {
	Question    string   `json:"question"`
	Domain      string   `json:"domain"`
	Answer      string   `json:"answer"`
	OptionScore *float64 `json:"option_score"`
	Weight      float64  `json:"weight"`
	Critical    bool     `json:"critical"`
	Points      float64  `json:"points"`
}

type domainScoreJSON struct {
	Domain   string   `json:"domain"`
	Score    *float64 `json:"score"`
	Weight   float64  `json:"weight"`
	Answered int      `json:"answered"`
}

type scoreJSON struct {
	Score          float64           `json:"score"`
	Raw            float64           `json:"raw"`
	FailedCritical []string          `json:"failed_critical"`
	Domains        []domainScoreJSON `json:"domains"`
	Answers        []answerScoreJSON `json:"answers"`
	Breakdown      []partJSON        `json:"breakdown"`
	Methodology    string            `json:"methodology"`
}

func toScoreJSON(s *register.AssessmentScore) *scoreJSON {
	if s == nil {
		return nil
	}
	out := &scoreJSON{Score: s.Score, Raw: s.Raw, FailedCritical: s.FailedCritical, Methodology: s.Methodology,
		Breakdown: toParts(s.Breakdown), Domains: make([]domainScoreJSON, len(s.Domains)), Answers: make([]answerScoreJSON, len(s.Answers))}
	if out.FailedCritical == nil {
		out.FailedCritical = []string{}
	}
	for i, d := range s.Domains {
		out.Domains[i] = domainScoreJSON(d)
	}
	for i, a := range s.Answers {
		out.Answers[i] = answerScoreJSON(a)
	}
	return out
}

type assessmentJSON struct {
	ID                    string            `json:"id"`
	Version               int               `json:"version"`
	SupplierID            string            `json:"supplier_id"`
	QuestionnaireID       string            `json:"questionnaire_id"`
	QuestionnaireName     string            `json:"questionnaire_name"`
	QuestionnaireRevision int               `json:"questionnaire_revision"`
	Status                string            `json:"status"`
	Answers               map[string]string `json:"answers"`
	Comments              map[string]string `json:"comments"`
	Evidence              map[string]string `json:"evidence"`
	Score                 *scoreJSON        `json:"score"`
	SubmittedBy           *string           `json:"submitted_by"`
	SubmittedByInvitation *string           `json:"submitted_by_invitation"`
	SubmittedAt           *time.Time        `json:"submitted_at"`
	ReviewedBy            *string           `json:"reviewed_by"`
	ReviewedAt            *time.Time        `json:"reviewed_at"`
	ReviewComment         string            `json:"review_comment"`
	CreatedAt             time.Time         `json:"created_at"`
	UpdatedAt             time.Time         `json:"updated_at"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toAssessmentJSON(a register.Assessment) assessmentJSON {
	return assessmentJSON{ID: a.ID, Version: a.Version, SupplierID: a.SupplierID, QuestionnaireID: a.QuestionnaireID,
		QuestionnaireName: a.QuestionnaireName, QuestionnaireRevision: a.QuestionnaireRevision, Status: a.Status,
		Answers: nonNilMap(a.Answers), Comments: nonNilMap(a.Comments), Evidence: nonNilMap(a.Evidence), Score: toScoreJSON(a.Score),
		SubmittedBy: optString(a.SubmittedBy), SubmittedByInvitation: optString(a.SubmittedByInvitation), SubmittedAt: a.SubmittedAt, ReviewedBy: optString(a.ReviewedBy),
		ReviewedAt: a.ReviewedAt, ReviewComment: a.ReviewComment, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func (h *assessmentHandlers) listAssessments(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListAssessments(c.Request.Context(), c.Param("id"), since, cur, limit)
	answerPage(c, h.log, page, err, toAssessmentJSON)
}

func (h *assessmentHandlers) getAssessment(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	a, err := h.svc.GetAssessment(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, a.Version, toAssessmentJSON(a), err)
}

func (h *assessmentHandlers) createAssessment(c *gin.Context) {
	var in assessmentWrite
	if !bindJSON(c, &in) {
		return
	}
	a, err := h.svc.CreateAssessment(c.Request.Context(), actor(c), c.Param("id"), register.AssessmentFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/assessments/"+a.ID, a.Version, toAssessmentJSON(a))
}

func (h *assessmentHandlers) patchAssessment(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	a, err := h.svc.PatchAssessment(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Assessment) assessmentWrite { return assessmentWrite(cur.AssessmentFields) },
			func(w assessmentWrite) register.AssessmentFields { return register.AssessmentFields(w) }))
	answer(c, h.log, http.StatusOK, a.Version, toAssessmentJSON(a), err)
}

func (h *assessmentHandlers) submitAssessment(c *gin.Context) {
	if !emptyBody(c) {
		return
	}
	a, err := h.svc.SubmitAssessment(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c))
	answer(c, h.log, http.StatusOK, a.Version, toAssessmentJSON(a), err)
}

type reviewWrite struct {
	Decision string `json:"decision"`
	Comment  string `json:"comment,omitempty"`
}

// reviewAssessment reads the body first (its size and media type are transport
// matters) but decodes and validates it only after the use case has checked that
// the reviewer is not the submitter, so a forbidden reviewer gets 403, never 400.
func (h *assessmentHandlers) reviewAssessment(c *gin.Context) {
	raw, ok := readBody(c, "application/json")
	if !ok {
		return
	}
	a, err := h.svc.ReviewAssessment(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c), func() (register.Review, error) {
		var in reviewWrite
		if fe := decodeObject(raw, &in); fe != nil {
			return register.Review{}, register.Invalid(fe...)
		}
		return register.Review(in), nil
	})
	answer(c, h.log, http.StatusOK, a.Version, toAssessmentJSON(a), err)
}

type postureJSON struct {
	Value     *float64   `json:"value"`
	Breakdown []partJSON `json:"breakdown"`
}

type riskFigureJSON struct {
	Value     float64    `json:"value"`
	Breakdown []partJSON `json:"breakdown"`
}

type riskJSON struct {
	Supplier         supplierRefJSON `json:"supplier"`
	DataInCare       dataInCareJSON  `json:"data_in_care"`
	Inherent         float64         `json:"inherent"`
	Posture          *float64        `json:"posture"`
	Provisional      bool            `json:"posture_provisional"`
	EffectivePosture *float64        `json:"effective_posture"`
	Residual         float64         `json:"residual"`
	Tier             string          `json:"tier"`
	InherentTier     string          `json:"inherent_tier"`
	Flags            []flagJSON      `json:"flags"`
	Breakdown        riskBreakdown   `json:"breakdown"`
	LatestAssessment *assessmentRef  `json:"latest_assessment"`
	NextReassessment *string         `json:"next_reassessment_due"`
	ReassessOverdue  bool            `json:"reassessment_overdue"`
	Methodology      string          `json:"methodology"`
}

type riskBreakdown struct {
	Inherent riskFigureJSON `json:"inherent"`
	Posture  postureJSON    `json:"posture"`
	Residual riskFigureJSON `json:"residual"`
}

type assessmentRef struct {
	ID                    string            `json:"id"`
	Status                string            `json:"status"`
	QuestionnaireID       string            `json:"questionnaire_id"`
	QuestionnaireName     string            `json:"questionnaire_name"`
	QuestionnaireRevision int               `json:"questionnaire_revision"`
	SubmittedAt           *time.Time        `json:"submitted_at"`
	Score                 *float64          `json:"score"`
	FailedCritical        []string          `json:"failed_critical"`
	Domains               []domainScoreJSON `json:"domains"`
	Methodology           string            `json:"methodology"`
}

func (h *assessmentHandlers) supplierRisk(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	sup, r, err := h.svc.SupplierRisk(c.Request.Context(), c.Param("id"))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	out := riskJSON{Supplier: supplierRefJSON{ID: sup.ID, Name: sup.Name, Criticality: sup.Criticality, Status: sup.Status, Country: sup.Country},
		DataInCare: toDataInCareJSON(r.InCare), Inherent: r.Inherent.Value, Posture: r.Posture.Value,
		Provisional: r.PostureProvisional, EffectivePosture: r.EffectivePosture, Residual: r.Residual.Value,
		Tier: r.Tier, InherentTier: r.InherentTier, Flags: toFlagsJSON(r.Flags, h.now()),
		Breakdown: riskBreakdown{Inherent: riskFigureJSON{r.Inherent.Value, toParts(r.Inherent.Breakdown)},
			Posture:  postureJSON{r.Posture.Value, toParts(r.Posture.Breakdown)},
			Residual: riskFigureJSON{r.Residual.Value, toParts(r.Residual.Breakdown)}},
		NextReassessment: optString(r.NextReassessment), ReassessOverdue: r.ReassessOverdue, Methodology: register.MethodologyVersion}
	if a := r.Assessment; a != nil {
		ref := &assessmentRef{ID: a.ID, Status: a.Status, QuestionnaireID: a.QuestionnaireID, QuestionnaireName: a.QuestionnaireName,
			QuestionnaireRevision: a.QuestionnaireRevision, SubmittedAt: a.SubmittedAt, FailedCritical: []string{}, Domains: []domainScoreJSON{}}
		if s := toScoreJSON(a.Score); s != nil {
			ref.Score, ref.FailedCritical, ref.Domains, ref.Methodology = &s.Score, s.FailedCritical, s.Domains, s.Methodology
		}
		out.LatestAssessment = ref
	}
	writeJSON(c, http.StatusOK, out)
}

type riskChangeJSON struct {
	EffectiveAt  time.Time  `json:"effective_at"`
	Archived     bool       `json:"archived"`
	Inherent     float64    `json:"inherent"`
	Posture      *float64   `json:"posture"`
	Provisional  bool       `json:"posture_provisional"`
	Residual     float64    `json:"residual"`
	Tier         string     `json:"tier"`
	InherentTier string     `json:"inherent_tier"`
	Flags        []flagJSON `json:"flags"`
}

func (h *assessmentHandlers) riskHistory(c *gin.Context) {
	cur, limit, ok := pageQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.RiskHistory(c.Request.Context(), c.Param("id"), cur, limit)
	now := h.now()
	answerPage(c, h.log, page, err, func(r register.RiskChange) riskChangeJSON {
		return riskChangeJSON{EffectiveAt: r.EffectiveAt, Archived: r.Archived, Inherent: r.Inherent, Posture: r.Posture,
			Provisional: r.PostureProvisional, Residual: r.Residual, Tier: r.Tier, InherentTier: r.InherentTier,
			Flags: toFlagsJSON(r.Flags, now)}
	})
}
