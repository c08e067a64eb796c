package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// WeakLinkService is what the weak-link and risk-acceptance handlers need.
type WeakLinkService interface {
	WeakLinks(ctx context.Context, f register.WeakLinkFilter) (register.Page[register.WeakLink], error)
	ListAcceptances(ctx context.Context, supplierID string, since *time.Time, cursor string, limit int) (register.Page[register.Acceptance], error)
	CreateAcceptance(ctx context.Context, a register.Actor, supplierID string, f register.AcceptanceFields) (register.Acceptance, error)
	WithdrawAcceptance(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) error
}

type weakLinkHandlers struct {
	svc WeakLinkService
	log *slog.Logger
	now func() time.Time
}

type acceptanceWrite struct {
	Flag      string     `json:"flag"`
	Reason    string     `json:"reason"`
	ExpiresAt *time.Time `json:"expires_at"`
}

type acceptanceJSON struct {
	ID         string     `json:"id"`
	Version    int        `json:"version"`
	SupplierID string     `json:"supplier_id"`
	Flag       string     `json:"flag"`
	Reason     string     `json:"reason"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedBy *string    `json:"accepted_by"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Active     bool       `json:"active"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func toAcceptanceJSON(a register.Acceptance, now time.Time) acceptanceJSON {
	out := acceptanceJSON{ID: a.ID, Version: a.Version, SupplierID: a.SupplierID, Flag: a.Flag, Reason: a.Reason,
		AcceptedBy: optString(a.AcceptedBy), RevokedAt: a.RevokedAt, Active: a.Active(now), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.ExpiresAt != nil {
		out.ExpiresAt = *a.ExpiresAt
	}
	return out
}

type flagJSON struct {
	Code     string          `json:"code"`
	Severity string          `json:"severity"`
	Message  string          `json:"message"`
	Accepted *acceptanceJSON `json:"accepted"`
}

func toFlagsJSON(vs []register.FlagView, now time.Time) []flagJSON {
	out := make([]flagJSON, len(vs))
	for i, v := range vs {
		out[i] = flagJSON{Code: v.Code, Severity: v.Severity, Message: v.Message}
		if v.Accepted != nil {
			a := toAcceptanceJSON(*v.Accepted, now)
			a.Active = true // flags carry only the acceptances in force when they were computed
			out[i].Accepted = &a
		}
	}
	return out
}

type weakLinkJSON struct {
	Supplier         supplierRefJSON `json:"supplier"`
	Inherent         float64         `json:"inherent"`
	Posture          *float64        `json:"posture"`
	Provisional      bool            `json:"posture_provisional"`
	EffectivePosture *float64        `json:"effective_posture"`
	Residual         float64         `json:"residual"`
	Tier             string          `json:"tier"`
	Flags            []flagJSON      `json:"flags"`
}

func (h *weakLinkHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "flag", "severity", "tier", "category", "cursor", "limit")
	f := register.WeakLinkFilter{Flags: q.list("flag"), Severities: q.list("severity"), Tiers: q.list("tier"),
		Categories: q.list("category"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.WeakLinks(c.Request.Context(), f)
	now := h.now()
	answerPage(c, h.log, page, err, func(w register.WeakLink) weakLinkJSON {
		s := w.Supplier
		return weakLinkJSON{Supplier: supplierRefJSON{ID: s.ID, Name: s.Name, Criticality: s.Criticality, Status: s.Status, Country: s.Country},
			Inherent: w.Risk.Inherent, Posture: w.Risk.Posture, Provisional: w.Risk.PostureProvisional, EffectivePosture: w.EffectivePosture,
			Residual: w.Risk.Residual, Tier: w.Risk.Tier, Flags: toFlagsJSON(w.Flags, now)}
	})
}

func (h *weakLinkHandlers) listAcceptances(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListAcceptances(c.Request.Context(), c.Param("id"), since, cur, limit)
	now := h.now()
	answerPage(c, h.log, page, err, func(a register.Acceptance) acceptanceJSON { return toAcceptanceJSON(a, now) })
}

func (h *weakLinkHandlers) createAcceptance(c *gin.Context) {
	var in acceptanceWrite
	if !bindJSON(c, &in) {
		return
	}
	a, err := h.svc.CreateAcceptance(c.Request.Context(), actor(c), c.Param("id"), register.AcceptanceFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/suppliers/"+a.SupplierID+"/risk-acceptances", a.Version, toAcceptanceJSON(a, h.now()))
}

func (h *weakLinkHandlers) withdrawAcceptance(c *gin.Context) {
	noContent(c, h.log, h.svc.WithdrawAcceptance(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c)))
}
