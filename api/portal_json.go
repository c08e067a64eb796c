package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// portalAssessmentJSON is the link holder's view: the questionnaire without scores,
// the answers and comments, and where the invitation stands.
type portalAssessmentJSON struct {
	AssessmentID  string                  `json:"assessment_id"`
	Version       int                     `json:"version"`
	Status        string                  `json:"status"`
	SupplierName  string                  `json:"supplier_name"`
	Invitation    portalInvitationJSON    `json:"invitation"`
	Questionnaire portalQuestionnaireJSON `json:"questionnaire"`
	Answers       map[string]string       `json:"answers"`
	Comments      map[string]string       `json:"comments"`
	SubmittedAt   *time.Time              `json:"submitted_at"`
	Evidence      []evidenceJSON          `json:"evidence"`
}

type portalInvitationJSON struct {
	ID           string    `json:"id"`
	ContactName  string    `json:"contact_name"`
	ContactEmail string    `json:"contact_email"`
	Status       string    `json:"status"`
	DueAt        time.Time `json:"due_at"`
	ExpiresAt    time.Time `json:"expires_at"`
}

type portalQuestionnaireJSON struct {
	Name      string               `json:"name"`
	Revision  int                  `json:"revision"`
	Questions []portalQuestionJSON `json:"questions"`
}

type portalQuestionJSON struct {
	Key      string   `json:"key"`
	Domain   string   `json:"domain"`
	Text     string   `json:"text"`
	Guidance string   `json:"guidance"`
	Optional bool     `json:"optional"`
	Options  []string `json:"options"`
}

// portalAnswersWrite is the body of PATCH /portal/api/assessment, a JSON merge patch
// (RFC 7396) of the answers and comments: a null member removes that answer or comment.
type portalAnswersWrite struct {
	Answers  map[string]string `json:"answers"`
	Comments map[string]string `json:"comments"`
}

// answerPortal writes the view, or the problem for err.
func (h *portalHandlers) answerPortal(c *gin.Context, v register.PortalView, err error) {
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	writeResource(c, http.StatusOK, v.Version, toPortalJSON(v))
}

func toPortalJSON(v register.PortalView) portalAssessmentJSON {
	out := portalAssessmentJSON{AssessmentID: v.AssessmentID, Version: v.Version, Status: v.Status, SupplierName: v.SupplierName,
		Invitation: portalInvitationJSON{ID: v.Invitation.ID, ContactName: v.Invitation.ContactName,
			ContactEmail: v.Invitation.ContactEmail, Status: v.Invitation.Status, DueAt: *v.Invitation.DueAt,
			ExpiresAt: *v.Invitation.ExpiresAt},
		Questionnaire: portalQuestionnaireJSON{Name: v.Questionnaire.Name, Revision: v.Questionnaire.Revision,
			Questions: make([]portalQuestionJSON, len(v.Questionnaire.Questions))},
		Answers: nonNilMap(v.Answers), Comments: nonNilMap(v.Comments), SubmittedAt: v.SubmittedAt,
		Evidence: make([]evidenceJSON, len(v.Evidence))}
	for i, f := range v.Evidence {
		out.Evidence[i] = toEvidenceJSON(f)
	}
	for i, q := range v.Questionnaire.Questions {
		out.Questionnaire.Questions[i] = portalQuestionJSON(q)
	}
	return out
}

// withBearer authenticates /portal/api with the invitation link's secret as a bearer
// token before next runs. Failed attempts are limited per client address, as bad
// API keys are. Answers carry the link holder's answers: never cached.
func (h *portalHandlers) withBearer(next gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		if h.bearer(c) {
			next(c)
		}
	}
}

func (h *portalHandlers) bearer(c *gin.Context) bool {
	if h.guessing(c, false) {
		return false
	}
	scheme, secret, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		h.failed(c)
		c.Header("WWW-Authenticate", `Bearer realm="weaklink portal"`)
		writeProblem(c, http.StatusUnauthorized, "Send the secret of your invitation link (the part after /portal/i/) as: Authorization: Bearer <secret>.")
		return false
	}
	inv, a, err := h.svc.AuthenticateInvitation(c.Request.Context(), secret, requestMeta(c))
	if err != nil {
		if register.ErrorCode(err) == register.CodeUnauthenticated {
			if inv.ID == "" { // only a secret that names no invitation is a guess
				h.failed(c)
			}
			c.Header("WWW-Authenticate", `Bearer realm="weaklink portal", error="invalid_token"`)
		}
		writeError(c, h.log, err)
		return false
	}
	c.Set(ctxInvitation, a)
	return true
}

func invitationActorOf(c *gin.Context) register.Actor {
	a, _ := c.Get(ctxInvitation)
	out, _ := a.(register.Actor)
	return out
}

func (h *portalHandlers) getJSON(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	v, err := h.svc.GetPortalView(c.Request.Context(), invitationActorOf(c).InvitationID)
	h.answerPortal(c, v, err)
}

func (h *portalHandlers) patchJSON(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	v, err := h.svc.SavePortalAnswers(c.Request.Context(), invitationActorOf(c), ifMatch(c),
		mergePatchOf(raw, func(cur register.PortalAnswers) portalAnswersWrite { return portalAnswersWrite(cur) },
			func(w portalAnswersWrite) register.PortalAnswers { return register.PortalAnswers(w) }))
	h.answerPortal(c, v, err)
}

func (h *portalHandlers) submitJSON(c *gin.Context) {
	if !emptyBody(c) {
		return
	}
	v, err := h.svc.SubmitPortalAnswers(c.Request.Context(), invitationActorOf(c), ifMatch(c))
	h.answerPortal(c, v, err)
}
