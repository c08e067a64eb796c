package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// APIKeyService is what the API key handlers need from the register.
type APIKeyService interface {
	CreateAPIKey(ctx context.Context, a register.Actor, in register.NewAPIKey) (register.APIKey, string, error)
	GetAPIKey(ctx context.Context, id string) (register.APIKey, error)
	ListAPIKeys(ctx context.Context, since *time.Time, cursor string, limit int) (register.Page[register.APIKey], error)
	RevokeAPIKey(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) error
}

type apiKeyHandlers struct {
	svc APIKeyService
	log *slog.Logger
	now func() time.Time
}

type apiKeyWrite struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

type apiKeyJSON struct {
	ID         string     `json:"id"`
	Version    int        `json:"version"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Prefix     string     `json:"prefix"`
	State      string     `json:"state"`
	CreatedBy  *string    `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	Secret     string     `json:"secret,omitempty"`
}

func (h *apiKeyHandlers) toJSON(k register.APIKey) apiKeyJSON {
	out := apiKeyJSON{ID: k.ID, Version: k.Version, Name: k.Name, Role: string(k.Role), Prefix: k.Prefix,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt, CreatedAt: k.CreatedAt,
		UpdatedAt: k.UpdatedAt, State: "active"}
	if k.CreatedBy != "" {
		out.CreatedBy = &k.CreatedBy
	}
	switch {
	case k.RevokedAt != nil:
		out.State = "revoked"
	case k.ExpiresAt != nil && !k.ExpiresAt.After(h.now()):
		out.State = "expired"
	}
	return out
}

func (h *apiKeyHandlers) create(c *gin.Context) {
	var in apiKeyWrite
	if !bindJSON(c, &in) {
		return
	}
	k, secret, err := h.svc.CreateAPIKey(c.Request.Context(), actor(c),
		register.NewAPIKey{Name: in.Name, Role: register.Role(in.Role), ExpiresAt: in.ExpiresAt})
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	out := h.toJSON(k)
	out.Secret = secret
	created(c, "/api/v1/api-keys/"+k.ID, k.Version, out)
}

func (h *apiKeyHandlers) get(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	k, err := h.svc.GetAPIKey(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, k.Version, h.toJSON(k), err)
}

func (h *apiKeyHandlers) list(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListAPIKeys(c.Request.Context(), since, cur, limit)
	answerPage(c, h.log, page, err, h.toJSON)
}

func (h *apiKeyHandlers) revoke(c *gin.Context) {
	noContent(c, h.log, h.svc.RevokeAPIKey(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c)))
}
