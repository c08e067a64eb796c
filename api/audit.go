package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// AuditService is what the audit trail handler needs from the register.
type AuditService interface {
	ListAudit(ctx context.Context, f register.AuditFilter) (register.Page[register.AuditEvent], error)
}

type auditHandlers struct {
	svc AuditService
	log *slog.Logger
}

type auditActorJSON struct {
	KeyID *string `json:"key_id"`
	Name  string  `json:"name"`
}

type auditEventJSON struct {
	Seq          int64                      `json:"seq"`
	ID           string                     `json:"id"`
	OccurredAt   time.Time                  `json:"occurred_at"`
	Actor        auditActorJSON             `json:"actor"`
	Action       string                     `json:"action"`
	ResourceType string                     `json:"resource_type"`
	ResourceID   string                     `json:"resource_id"`
	Changes      map[string]register.Change `json:"changes"`
	RequestID    string                     `json:"request_id"`
	ClientIP     string                     `json:"client_ip"`
	PrevHash     string                     `json:"prev_hash"`
	Hash         string                     `json:"hash"`
	// HashAlgorithm is "sha256" or "hmac-sha256" (keyed with WEAKLINK_AUDIT_KEY).
	HashAlgorithm string `json:"hash_algorithm"`
}

func (h *auditHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "resource_type", "resource_id", "actor_key_id", "action", "since", "until", "cursor", "limit")
	f := register.AuditFilter{ResourceType: q.str("resource_type"), ResourceID: q.str("resource_id"),
		ActorKeyID: q.str("actor_key_id"), Action: q.str("action"), Since: q.time("since"), Until: q.time("until"),
		Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.ListAudit(c.Request.Context(), f)
	answerPage(c, h.log, page, err, toAuditEventJSON)
}

func toAuditEventJSON(e register.AuditEvent) auditEventJSON {
	out := auditEventJSON{Seq: e.Seq, ID: e.ID, OccurredAt: e.OccurredAt,
		Actor:  auditActorJSON{Name: e.ActorName},
		Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID, Changes: e.Changes,
		RequestID: e.RequestID, ClientIP: e.ClientIP, PrevHash: e.PrevHash, Hash: e.Hash, HashAlgorithm: e.HashAlgorithm}
	if e.ActorKeyID != "" {
		id := e.ActorKeyID
		out.Actor.KeyID = &id
	}
	return out

}
