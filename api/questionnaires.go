package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// AssessmentService is what the questionnaire, assessment and risk handlers need.
type AssessmentService interface {
	AssessmentViewer
	ListQuestionnaires(ctx context.Context, since *time.Time, cursor string, limit int) (register.Page[register.Questionnaire], error)
	GetQuestionnaire(ctx context.Context, id string) (register.Questionnaire, error)
	CreateQuestionnaire(ctx context.Context, a register.Actor, f register.QuestionnaireFields) (register.Questionnaire, error)
	PatchQuestionnaire(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		apply func(register.Questionnaire) (register.QuestionnaireFields, error)) (register.Questionnaire, error)
	PublishQuestionnaire(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) (register.Questionnaire, error)
	NewQuestionnaireVersion(ctx context.Context, a register.Actor, id string) (register.Questionnaire, error)
	ListAssessments(ctx context.Context, supplierID string, since *time.Time, cursor string, limit int) (register.Page[register.Assessment], error)
	GetAssessment(ctx context.Context, id string) (register.Assessment, error)
	CreateAssessment(ctx context.Context, a register.Actor, supplierID string, f register.AssessmentFields) (register.Assessment, error)
	PatchAssessment(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		apply func(register.Assessment) (register.AssessmentFields, error)) (register.Assessment, error)
	SubmitAssessment(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) (register.Assessment, error)
	ReviewAssessment(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		decode func() (register.Review, error)) (register.Assessment, error)
	SupplierRisk(ctx context.Context, id string) (register.Supplier, register.Risk, error)
	RiskHistory(ctx context.Context, supplierID, cursor string, limit int) (register.Page[register.RiskChange], error)
}

type assessmentHandlers struct {
	svc AssessmentService
	log *slog.Logger
	now func() time.Time
}

type optionJSON struct {
	Value string   `json:"value"`
	Score *float64 `json:"score"`
}

type questionJSON struct {
	Key           string       `json:"key"`
	Domain        string       `json:"domain"`
	Text          string       `json:"text"`
	Guidance      string       `json:"guidance"`
	Weight        float64      `json:"weight"`
	Critical      bool         `json:"critical"`
	Optional      bool         `json:"optional"`
	ControlThemes []string     `json:"control_themes"`
	Options       []optionJSON `json:"options"`
}

// questionnaireWrite is the body authors write (PRODUCT.md §3's plain shape).
type questionnaireWrite struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Questions   []questionJSON `json:"questions"`
}

type questionnaireJSON struct {
	ID          string         `json:"id"`
	Version     int            `json:"version"`
	FamilyID    string         `json:"family_id"`
	Revision    int            `json:"revision"`
	Status      string         `json:"status"`
	BuiltIn     bool           `json:"built_in"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Questions   []questionJSON `json:"questions"`
	PublishedAt *time.Time     `json:"published_at"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

func toQuestionnaireWrite(f register.QuestionnaireFields) questionnaireWrite {
	w := questionnaireWrite{Name: f.Name, Description: f.Description, Questions: make([]questionJSON, len(f.Questions))}
	for i, q := range f.Questions {
		opts := make([]optionJSON, len(q.Options))
		for j, o := range q.Options {
			opts[j] = optionJSON(o)
		}
		w.Questions[i] = questionJSON{Key: q.Key, Domain: q.Domain, Text: q.Text, Guidance: q.Guidance, Weight: q.Weight,
			Critical: q.Critical, Optional: q.Optional, ControlThemes: q.ControlThemes, Options: opts}
	}
	return w
}

func (w questionnaireWrite) fields() register.QuestionnaireFields {
	f := register.QuestionnaireFields{Name: w.Name, Description: w.Description, Questions: make([]register.Question, len(w.Questions))}
	for i, q := range w.Questions {
		opts := make([]register.Option, len(q.Options))
		for j, o := range q.Options {
			opts[j] = register.Option(o)
		}
		f.Questions[i] = register.Question{Key: q.Key, Domain: q.Domain, Text: q.Text, Guidance: q.Guidance, Weight: q.Weight,
			Critical: q.Critical, Optional: q.Optional, ControlThemes: q.ControlThemes, Options: opts}
	}
	return f
}

func toQuestionnaireJSON(q register.Questionnaire) questionnaireJSON {
	w := toQuestionnaireWrite(q.QuestionnaireFields)
	return questionnaireJSON{ID: q.ID, Version: q.Version, FamilyID: q.FamilyID, Revision: q.Revision, Status: q.Status,
		BuiltIn: q.BuiltIn, Name: q.Name, Description: q.Description, Questions: w.Questions, PublishedAt: q.PublishedAt,
		CreatedAt: q.CreatedAt, UpdatedAt: q.UpdatedAt}
}

func (h *assessmentHandlers) listQuestionnaires(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListQuestionnaires(c.Request.Context(), since, cur, limit)
	answerPage(c, h.log, page, err, toQuestionnaireJSON)
}

func (h *assessmentHandlers) getQuestionnaire(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	q, err := h.svc.GetQuestionnaire(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, q.Version, toQuestionnaireJSON(q), err)
}

func (h *assessmentHandlers) createQuestionnaire(c *gin.Context) {
	var in questionnaireWrite
	if !bindJSON(c, &in) {
		return
	}
	q, err := h.svc.CreateQuestionnaire(c.Request.Context(), actor(c), in.fields())
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/questionnaires/"+q.ID, q.Version, toQuestionnaireJSON(q))
}

func (h *assessmentHandlers) patchQuestionnaire(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	q, err := h.svc.PatchQuestionnaire(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Questionnaire) questionnaireWrite {
			return toQuestionnaireWrite(cur.QuestionnaireFields)
		},
			questionnaireWrite.fields))
	answer(c, h.log, http.StatusOK, q.Version, toQuestionnaireJSON(q), err)
}

func (h *assessmentHandlers) publishQuestionnaire(c *gin.Context) {
	if !emptyBody(c) {
		return
	}
	q, err := h.svc.PublishQuestionnaire(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c))
	answer(c, h.log, http.StatusOK, q.Version, toQuestionnaireJSON(q), err)
}

func (h *assessmentHandlers) newQuestionnaireVersion(c *gin.Context) {
	if !emptyBody(c) {
		return
	}
	q, err := h.svc.NewQuestionnaireVersion(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/questionnaires/"+q.ID, q.Version, toQuestionnaireJSON(q))
}

// emptyBody accepts an action request with no body or an empty JSON object.
func emptyBody(c *gin.Context) bool {
	if c.Request.ContentLength == 0 && c.GetHeader("Content-Type") == "" {
		return true
	}
	var none struct{}
	return bindJSON(c, &none)
}
