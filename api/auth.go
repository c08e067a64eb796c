package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// Authenticator resolves a bearer secret to an actor.
type Authenticator interface {
	Authenticate(ctx context.Context, secret string) (register.Actor, error)
}

// authenticate requires a usable bearer key on every /api/v1 route. Failed attempts
// are limited per client address (failures may be nil: no limit), so a flood of bad
// keys is turned away before it costs a lookup each.
func authenticate(auth Authenticator, failures *rateLimiter, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		if failures != nil && failures.exhausted("ip:"+c.ClientIP()) {
			failures.reject(c, "Too many failed authentication attempts from this address; retry after the number of seconds in Retry-After.")
			return
		}
		fail := func() {
			if failures != nil {
				failures.spend("ip:" + c.ClientIP())
			}
		}
		scheme, secret, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			fail()
			c.Header("WWW-Authenticate", `Bearer realm="weaklink"`)
			writeProblem(c, http.StatusUnauthorized, "Send an API key as: Authorization: Bearer <key>.")
			return
		}
		a, err := auth.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		if err == nil || register.ErrorCode(err) == register.CodeUnauthenticated {
			databaseAnswered(c) // the key was looked up
		}
		if err != nil {
			if register.ErrorCode(err) == register.CodeUnauthenticated {
				fail()
				c.Header("WWW-Authenticate", `Bearer realm="weaklink", error="invalid_token"`)
			}
			writeError(c, log, err)
			return
		}
		a.RequestID = c.GetString(ctxRequestID)
		a.ClientIP = c.ClientIP()
		c.Set(ctxActor, a)
		c.Next()
	}
}

// requireRole answers 403 unless the caller's role includes min. It runs before the
// handler reads the body, so authorisation is decided before validation.
func requireRole(min register.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := actorOf(c)
		if !ok || !a.Role.Includes(min) {
			writeProblem(c, http.StatusForbidden, "This needs the "+string(min)+" role; your key's role is "+string(a.Role)+".")
			return
		}
		c.Next()
	}
}

func actorOf(c *gin.Context) (register.Actor, bool) {
	v, ok := c.Get(ctxActor)
	if !ok {
		return register.Actor{}, false
	}
	a, ok := v.(register.Actor)
	return a, ok
}

// actor returns the authenticated actor; routes under /api/v1 always have one.
func actor(c *gin.Context) register.Actor {
	a, _ := actorOf(c)
	return a
}
