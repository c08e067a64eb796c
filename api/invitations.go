package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// InvitationService is what the invitation handlers need.
type InvitationService interface {
	CreateInvitation(ctx context.Context, a register.Actor, assessmentID string, f register.InvitationFields) (register.Invitation, string, error)
	ListInvitationsOfAssessment(ctx context.Context, assessmentID string, since *time.Time, cursor string, limit int) (register.Page[register.Invitation], error)
	ListInvitations(ctx context.Context, f register.InvitationFilter) (register.Page[register.Invitation], error)
	RevokeInvitation(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) error
}

type invitationHandlers struct {
	svc InvitationService
	log *slog.Logger
	// publicURL is where suppliers reach the service (WEAKLINK_PUBLIC_URL); "" gives
	// links relative to it.
	publicURL string
}

type invitationWrite struct {
	ContactEmail string     `json:"contact_email"`
	ContactName  string     `json:"contact_name"`
	DueAt        *time.Time `json:"due_at"`
	ExpiresAt    *time.Time `json:"expires_at"`
}

type invitationJSON struct {
	ID           string     `json:"id"`
	Version      int        `json:"version"`
	AssessmentID string     `json:"assessment_id"`
	SupplierID   string     `json:"supplier_id"`
	ContactEmail string     `json:"contact_email"`
	ContactName  string     `json:"contact_name"`
	DueAt        time.Time  `json:"due_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	Status       string     `json:"status"`
	Overdue      bool       `json:"overdue"`
	SecretPrefix string     `json:"secret_prefix"`
	CreatedBy    *string    `json:"created_by"`
	OpenedAt     *time.Time `json:"opened_at"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// invitationCreatedJSON is the creation's answer: the invitation and its link, the
// one place the secret is shown.
type invitationCreatedJSON struct {
	invitationJSON
	URL string `json:"url"`
}

func toInvitationJSON(i register.Invitation) invitationJSON {
	j := invitationJSON{ID: i.ID, Version: i.Version, AssessmentID: i.AssessmentID, SupplierID: i.SupplierID,
		ContactEmail: i.ContactEmail, ContactName: i.ContactName, DueAt: *i.DueAt, ExpiresAt: *i.ExpiresAt, Status: i.Status,
		Overdue: i.Overdue, SecretPrefix: i.SecretPrefix, OpenedAt: i.OpenedAt, SubmittedAt: i.SubmittedAt, RevokedAt: i.RevokedAt,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if i.CreatedBy != "" {
		j.CreatedBy = &i.CreatedBy
	}
	return j
}

func (h *invitationHandlers) create(c *gin.Context) {
	var in invitationWrite
	if !bindJSON(c, &in) {
		return
	}
	inv, secret, err := h.svc.CreateInvitation(c.Request.Context(), actor(c), c.Param("id"), register.InvitationFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/assessments/"+inv.AssessmentID+"/invitations", inv.Version,
		invitationCreatedJSON{invitationJSON: toInvitationJSON(inv), URL: h.publicURL + "/portal/i/" + secret})
}

func (h *invitationHandlers) listOfAssessment(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListInvitationsOfAssessment(c.Request.Context(), c.Param("id"), since, cur, limit)
	answerPage(c, h.log, page, err, toInvitationJSON)
}

func (h *invitationHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "status", "overdue", "updated_since", "cursor", "limit")
	f := register.InvitationFilter{Statuses: q.list("status"), Overdue: q.boolean("overdue"),
		UpdatedSince: q.time("updated_since"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.ListInvitations(c.Request.Context(), f)
	answerPage(c, h.log, page, err, toInvitationJSON)
}

func (h *invitationHandlers) revoke(c *gin.Context) {
	noContent(c, h.log, h.svc.RevokeInvitation(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c)))
}
